"""What ambassadors ask the bot that is NOT social media policy.

People ask a chat bot at work about anything: passwords, leave, lunch, expenses. These
descriptions of neighbouring helpdesk domains are ranked together with the FAQ entries as
"none of the above" documents: when one of them explains a question better than any entry,
the engine abstains and the caller hands the question to a person.

Keep them to words of those domains; words that social media policies are about (posting,
photos, customers, salaries, events, the logo) belong to FAQ entries and must not be here,
or policy questions would be pulled out of scope.
"""
from __future__ import annotations

OFFTOPIC_AREAS: dict[str, dict[str, str]] = {
    "it-support": {
        "en": """
            IT helpdesk: password reset, forgot my password, locked out of my account, cannot log
            in, login problem, two-factor authentication, 2FA, MFA, authenticator app, VPN setup,
            VPN connection, wifi, Wi-Fi, new laptop setup, computer, phone setup, mobile device,
            printer, printing, email, mailbox, Outlook, Gmail, personal email address, mail
            forwarding, email attachment, calendar invite, laptop installs, licence key, updates,
            virus, malware, phishing email, report phishing, spam, suspicious email, IT ticket, IT
            support, hardware, keyboard, mouse, headset, charger, docking station, USB stick,
            backup, file storage, access rights, chat app account settings, avatar, status, account
            settings, personal use of company equipment.
        """,
        "pl": """
            Pomoc IT: reset hasła, zapomniałem hasła, zablokowane konto, nie mogę się zalogować,
            problem z zalogowaniem, uwierzytelnianie dwuskładnikowe, aplikacja uwierzytelniająca,
            konfiguracja VPN, skonfigurować VPN, wifi, nowy laptop, komputer, telefon służbowy,
            skonfigurować telefon, drukarka, drukowanie, poczta, skrzynka, Outlook, prywatna
            skrzynka, przekierowanie poczty, załącznik, kalendarz, instalacja na laptopie, licencja,
            aktualizacja, wirus, phishing, zgłosić phishing, spam, podejrzany mail, zgłoszenie do
            IT, wsparcie IT, sprzęt, klawiatura, myszka, słuchawki, ładowarka, stacja dokująca,
            pendrive, kopia zapasowa, dysk współdzielony, uprawnienia, ustawienia konta w
            komunikatorze, awatar, status, prywatne używanie sprzętu firmowego.
        """,
    },
    "hr-benefits": {
        "en": """
            HR and benefits: vacation days, holiday allowance, annual leave, days off, time off,
            PTO, sick leave, sick note, parental leave, maternity leave, payday, payday date, salary
            payment, bank account for salary, payslip, pay slip, tax form, tax return, benefits,
            health insurance, private medical care, dental, gym card, sports card, Multisport,
            pension plan, retirement plan, ESPP, share purchase plan, buy company shares, stock
            options, referral bonus, refer a friend, employment contract, notice period,
            resignation, remote work, work from home, work from abroad, working hours, flexible
            hours, overtime, training budget, courses, certification, performance review, promotion
            process, onboarding, side job, second job.
        """,
        "pl": """
            Kadry i benefity: dni urlopu, ile urlopu, urlop wypoczynkowy, dzień wolny, L4,
            chorobowe, urlop rodzicielski, urlop macierzyński, termin wypłaty, wypłata, konto
            bankowe do wypłaty, pasek wypłaty, PIT, zeznanie podatkowe, benefity, opieka medyczna,
            prywatna opieka medyczna, dentysta, karta sportowa, Multisport, dofinansowanie, PPK,
            deklaracja PPK, wpłaty do PPK, emerytura, akcje pracownicze, kupić akcje firmy, opcje na
            akcje, bonus za polecenie, polecić znajomego, umowa o pracę, okres wypowiedzenia,
            wypowiedzenie, praca zdalna, pracować zdalnie, praca z domu, praca z zagranicy, godziny
            pracy, elastyczne godziny, nadgodziny, budżet szkoleniowy, szkolenie, kurs, certyfikat,
            ocena okresowa, awans, onboarding, dodatkowa praca.
        """,
    },
    "facilities": {
        "en": """
            Facilities: lunch menu, canteen, cafeteria, food, catering, coffee machine, parking,
            parking space, bike room, showers, lockers, book a meeting room, reserve a meeting room,
            room reservations, desk reservation, hot desk, opening hours of the premises, cleaning,
            air conditioning, heating, temperature, lost and found, dogs at work, pets, dress code,
            what to wear, Christmas dinner, supplies, stationery, business cards, printing business
            cards, mail, parcels, deliveries, keys, first aid, fire drill.
        """,
        "pl": """
            Sprawy administracyjne: menu obiadowe, stołówka, jedzenie, catering, ekspres do kawy,
            parking, miejsce parkingowe, rowerownia, prysznice, szafki, rezerwacja sal spotkań,
            zarezerwować salę, sala konferencyjna, rezerwacja biurka, godziny otwarcia budynku,
            sprzątanie, klimatyzacja, ogrzewanie, temperatura, rzeczy znalezione, psy w pracy,
            zwierzęta, dress code, w co się ubrać, wigilia firmowa, długopisy, papier, wizytówki,
            poczta, paczki, dostawy, klucze, pierwsza pomoc, alarm przeciwpożarowy.
        """,
    },
    "travel-expenses": {
        "en": """
            Travel and expenses: expenses, expense report, submit expenses, reimbursement, refund,
            receipt, invoice, paying invoices, business travel, travel reservation, flights, hotel,
            train tickets, per diem, travel allowance, company credit card, ticket purchase,
            purchase order, budget approval, subscription, premium subscription, licence
            subscription, cost coverage.
        """,
        "pl": """
            Podróże i wydatki: wydatki, rozliczenie wydatków, rozliczenie delegacji, delegacja,
            zwrot kosztów, paragon, faktura, opłacić fakturę, podróż służbowa, rezerwacja podróży,
            lot, hotel, bilety, dieta, karta firmowa, zakup biletu, zamówienie, akceptacja budżetu,
            subskrypcja, abonament, pokrycie kosztów przez firmę.
        """,
    },
}
