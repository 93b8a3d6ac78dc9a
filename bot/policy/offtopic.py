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
    "it-support": {"en": """
        IT helpdesk: password reset, forgot my password, locked out of my account, cannot log in,
        login problem, two-factor authentication, 2FA, MFA, authenticator app, VPN setup, VPN
        connection, wifi, Wi-Fi, network access, new laptop setup, computer, phone setup, mobile
        device, printer, printing, email, mailbox, Outlook, Gmail, personal email address,
        mail forwarding, email attachment, calendar invite, install software, licence, license key, update,
        antivirus, virus, malware, phishing email, report phishing, spam, suspicious email,
        IT ticket, IT support, hardware, keyboard, mouse, headset, charger, docking station,
        USB stick, backup, file server, shared drive, access rights, Slack or Teams account
        settings, avatar, status, account settings, personal use of company equipment.
    """, "pl": """
        Pomoc IT: reset hasła, zapomniałem hasła, zablokowane konto, nie mogę się zalogować,
        logowanie, uwierzytelnianie dwuskładnikowe, aplikacja uwierzytelniająca, konfiguracja VPN,
        skonfigurować VPN, wifi, sieć, nowy laptop, komputer, telefon służbowy, skonfigurować
        telefon, drukarka, drukowanie, poczta, skrzynka, Outlook, prywatna skrzynka,
        przekierowanie poczty, załącznik, kalendarz, zainstalować program, licencja, aktualizacja,
        wirus, phishing, zgłosić phishing, spam, podejrzany mail, zgłoszenie do IT, wsparcie IT,
        sprzęt, klawiatura, myszka, słuchawki, ładowarka, stacja dokująca, pendrive, kopia
        zapasowa, dysk sieciowy, uprawnienia, ustawienia konta w Slacku lub Teams, awatar, status,
        prywatne używanie sprzętu firmowego.
    """},
    "hr-benefits": {"en": """
        HR and benefits: vacation days, holiday allowance, annual leave, days off, time off, PTO,
        sick leave, sick note, parental leave, maternity leave, payday, payday date, payslip,
        pay slip, tax form, tax return, benefits, health insurance, private medical care, dental,
        gym card, sports card, Multisport, pension plan, retirement plan, employee share plan,
        buy company shares, stock options, ESPP, referral bonus, refer a friend, employee referral
        programme, employment contract, notice period, resignation, remote work, work from home,
        work from abroad, working hours, flexible hours, overtime, training budget, courses,
        certification, performance review, promotion process, onboarding, side job, second job.
    """, "pl": """
        Kadry i benefity: dni urlopu, ile urlopu, urlop wypoczynkowy, dzień wolny, L4, zwolnienie
        lekarskie, urlop rodzicielski, urlop macierzyński, termin wypłaty, wypłata, pasek płacowy,
        przelew wynagrodzenia, PIT, zeznanie podatkowe, benefity, opieka medyczna, prywatna opieka
        medyczna, dentysta, karta sportowa, Multisport, dofinansowanie, PPK, deklaracja PPK, wpłaty do PPK,
        emerytura, plan akcji pracowniczych, kupić akcje firmy, opcje na akcje, premia za
        polecenie, polecić znajomego, umowa o pracę, okres wypowiedzenia, wypowiedzenie, praca
        zdalna, home office, praca z domu, praca z zagranicy, godziny pracy, elastyczne
        godziny, nadgodziny, budżet szkoleniowy, szkolenie, kurs, certyfikat, ocena roczna,
        awans, onboarding, dodatkowa praca.
    """},
    "facilities": {"en": """
        Office facilities: lunch menu, canteen, cafeteria, food, catering,
        coffee machine, parking, parking space, bike room, showers, lockers, book a meeting room,
        room booking, reserve a conference room, desk booking, hot desk, building opening hours,
        cleaning, air conditioning, heating, temperature, lost and found, dog-friendly office,
        pets, dress code, what to wear, Christmas party, holiday party, office supplies,
        stationery, business cards, printing business cards, mail, parcels, deliveries, keys, first
        aid, fire drill.
    """, "pl": """
        Sprawy biurowe: menu obiadowe, stołówka, jedzenie, catering, ekspres do
        kawy, parking, miejsce parkingowe, rowerownia, prysznice, szafki, rezerwacja sal
        konferencyjnych, rezerwacja biurka, godziny otwarcia budynku, sprzątanie,
        klimatyzacja, ogrzewanie, temperatura, rzeczy znalezione, psy w biurze,
        zwierzęta, dress code, w co się ubrać, wigilia firmowa, impreza świąteczna, materiały
        biurowe, wizytówki, poczta, paczki, dostawy, klucze, pierwsza pomoc,
        alarm przeciwpożarowy.
    """},
    "travel-expenses": {"en": """
        Travel and expenses: expenses, expense report, submit expenses, reimbursement, refund,
        receipt, invoice, pay an invoice, business trip, travel booking, flights, hotel, train
        tickets, per diem, travel allowance, company credit card, conference ticket purchase,
        purchase order, budget approval, subscription, premium subscription, software
        subscription, cost coverage, paid by the company.
    """, "pl": """
        Podróże i wydatki: wydatki, rozliczenie wydatków, rozliczenie delegacji, delegacja, zwrot
        kosztów, paragon, faktura, opłacić fakturę, podróż służbowa, rezerwacja podróży, lot,
        hotel, bilety, dieta, karta firmowa, zakup biletu na konferencję, zamówienie, akceptacja
        budżetu, subskrypcja, abonament, pokrycie kosztów przez firmę.
    """},
}
