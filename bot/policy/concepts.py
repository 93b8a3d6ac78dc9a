"""A bilingual (en/pl) thesaurus of what social-media-policy questions talk about.

FAQ entries are written in careful language ("photos", "financial results"); people ask in
chat language ("pic", "fotka", "Q3 numbers", "kasa"). Both sides are tagged with the same
concept tokens, so a question and an entry that never share a word can still meet.

The groups describe the domain (employee advocacy and social media policies in general), not
any particular FAQ: they must stay useful for a FAQ nobody has seen yet.

Pattern syntax: folded (lower-case, no diacritics) dictionary forms or surface forms;
a trailing `*` matches any word starting with the stem; a space separates the words of a
phrase that must appear in sequence.
"""
from __future__ import annotations

CONCEPTS: dict[str, tuple[str, ...]] = {
    # What is being posted
    "photo": (
        "photo*", "picture", "pic", "pix", "image", "selfie*", "snapshot", "snap", "shot",
        "photograph*", "foto", "fotk*", "fotografi*", "fotografowa*", "zdjeci*", "zdjec*",
        "obrazek", "obrazk*", "selfik*", "fotce",
    ),
    "video": (
        "video*", "vid", "vids", "clip", "reel*", "recording", "film*", "wideo", "nagrani*",
        "filmik*", "relacj*", "story", "stories", "livestream", "live stream", "transmisj*",
    ),
    "screenshot": (
        "screenshot*", "screen shot", "screencap*", "printscreen", "print screen", "screen",
        "screena", "screenie", "skrin*", "zrzut*",
    ),
    "display": (
        "whiteboard*", "white board", "board", "flipchart*", "flip chart", "sticky note*",
        "postit*", "post it notes", "post its", "kanban", "monitor*", "display", "dashboard*",
        "screen", "laptop screen", "tablic*", "ekran*", "karteczk*", "wyswietlacz*", "document*",
        "dokument*", "slide*", "slajd*",
    ),
    "badge": (
        "badge*", "access card", "id card", "keycard", "key card", "lanyard*", "pass",
        "identyfikator*", "karta dostepu", "karte dostepu", "karty dostepu", "smycz*", "plakietk*",
    ),
    "text_post": (
        "article", "blog*", "write-up", "wpis*", "artykul*", "tekst*",
    ),

    # Who appears in it
    "colleague": (
        "colleague*", "coworker*", "co-worker*", "teammate*", "team mate*", "workmate*",
        "wspolpracownik*", "wspolpracowniczk*", "kolega", "koleg*", "kolezank*", "kumpl*", "squad",
        "people", "person", "ludzi", "osob*", "other employees", "other staff", "innych pracownik*",
        "inni pracownicy", "innymi pracownik*", "crew", "ekip*", "group photo*", "group pic*",
        "group shot*", "group selfie*", "zdjeci* grupow*", "grupow* zdjeci*", "grupow* fot*",
    ),
    "customer": (
        "customer*", "client*", "prospect*", "klient*", "kontrahent*", "odbiorc*", "account name",
        "we work with", "we re working with", "working with a company", "wspolpracujemy z",
        "deploy* at", "deploy* for", "rollout at", "implementation at", "implementation for",
        "wdroz*", "wdraz*",
    ),
    "naming": (
        "name", "names", "naming", "nazw*", "podac nazw*", "podaj* nazw*", "mention*", "wymieni*",
        "wspomni*", "tag", "tagging", "tagged", "oznacz*", "otagowa*", "identify",
    ),
    "competitor": (
        "competitor*", "competition", "competing", "rival*", "konkurencj*", "konkurent*",
        "konkurenc*",
    ),
    "partner": (
        "partner*", "vendor*", "supplier*", "dostawc*", "partnerstw*",
    ),
    "journalist": (
        "journalist*", "reporter*", "press", "media", "editor*", "interview*", "dziennikar*",
        "ask* for a comment", "ask* me for a comment", "request* for comment", "o komentarz",
        "redaktor*", "blogger*", "bloger*", "analyst*", "analityk*", "podcaster*", "redakcj*",
        "prasa", "prasow*", "wywiad*", "mediow*", "mediach", "mediami",
    ),
    "ai": (
        "ai", "chatgpt*", "gpt*", "chat gpt", "copilot*", "midjourney*", "dall-e", "dalle",
        "gemini*", "claude*", "llm*", "genai", "generative", "generat*", "sztuczn* inteligencj*",
        "czatgpt*",
    ),

    # Business topics
    "financial": (
        "revenue*", "profit*", "earning*", "ebitda", "margin*", "turnover", "sales", "bookings",
        "financial*", "financ*", "forecast*", "guidance", "q1", "q2", "q3", "q4", "h1", "h2", "fy",
        "quarter*", "quarterly", "annual report*", "annual result*", "result* post", "przychod*",
        "zysk*", "sprzedalismy", "we sold", "zarobilismy", "zarobila firma", "we earned", "we made",
        "sprzedaz*", "obrot*", "prognoz*", "kwartal*", "finans*", "wynik* finansow*",
        "wynik* kwartaln*", "wynik* roczn*", "raport* roczn*", "raport* kwartaln*",
        "raport* gieldow*", "stock exchange", "gield*", "record quarter", "rekordow* kwartal*",
    ),
    "stock": (
        "share price", "stock", "stocks", "kurs akcji", "kursu akcji", "kursie akcji", "buy share*",
        "company share*", "share plan*", "share option*", "share purchase*", "akcj*", "investor*",
        "inwestor*",
    ),
    "deal": (
        "acquisition*", "acquir*", "merger*", "merg*", "takeover*", "buyout", "buying",
        "investment*", "funding", "round", "fundraising", "deal*", "przejeci*", "przejmuj*",
        "przejm*", "fuzj*", "inwestycj*", "finansowani*", "kupuj*", "transakcj*",
    ),
    "rumour": (
        "rumour*", "rumor*", "gossip*", "speculat*", "i heard", "heard that", "plotk*", "spekul*",
        "pogłosk*", "słyszałem", "słyszałam", "podobno",
    ),
    "product": (
        "product*", "feature*", "release*", "version*", "app", "apps", "application*", "platform*",
        "tool", "software", "produkt*", "funkcj*", "wersj*", "aplikacj*", "apk*", "narzedzi*",
        "oprogramowani*", "ficzer*", "modul*",
    ),
    "roadmap": (
        "roadmap*", "road map", "beta", "prototype*", "codename*", "code name*", "code-name*",
        "kryptonim*", "nazw* kodow*", "mvp", "pilot", "demo", "internal demo", "sneak peek",
        "sneak peak", "teaser*", "preview*", "zapowiedz*", "zajawk*", "pracuje nad", "working on",
        "building",
    ),
    "incident": (
        "outage*", "downtime", "was down", "went down", "is down", "were down", "not working",
        "nie dzialal*", "incident*", "bug*", "crash*", "failure*", "postmortem*", "post mortem",
        "post-mortem", "breach*", "awari*", "incydent*", "blad", "bledy", "bledu", "bledow",
        "usterk*", "padl*", "przestoj*", "wyciek*", "leak*", "hotfix*", "on-call", "dyzur*",
    ),
    "security": (
        "security", "secure", "firewall*", "siem", "pentest*", "penetration test*", "vulnerabilit*",
        "exploit*", "antivirus", "edr", "infrastructure", "architecture", "network*", "server*",
        "cloud setup", "zabezpiecz*", "bezpieczenstw*", "podatnos*", "infrastruktur*",
        "architektur*", "siec*", "serwer*", "testy penetracyjne", "cyber*",
    ),
    "salary": (
        "salary", "salaries", "pay band*", "pay range*", "pay rise*", "pay data", "wage*",
        "compensation", "bonus*", "raise*", "salary band*", "payroll", "earn", "wynagrodz*",
        "pensj*", "zarabia*", "zarobi*", "zarobk*", "earns", "placa", "plac", "placow*", "premia",
        "premie", "premii", "premiow*", "podwyzk*", "widelk*", "zarob*", "stawk*",
    ),
    "internal_comms": (
        "internal", "all-hands", "all hands", "allhands", "town hall", "townhall", "memo*",
        "newsletter*", "reorg*", "reorganis*", "reorganiz*", "restructur*", "layoff*", "lay off",
        "laid off", "redundanc*", "leadership change*", "wewnetrzn*", "reorganizacj*",
        "restrukturyzacj*", "zwolnien*", "zwalnia*", "spotkani* firmow*", "ogloszeni* wewnetrzn*",
    ),
    "confidential": (
        "confidential*", "secret*", "nda", "inside information", "insider", "sensitive", "reveal*",
        "ujawni*", "leak*", "poufn*", "tajn*", "tajemnic*", "wrazliw*", "niejawn*",
    ),

    # Company and workplace
    "office": (
        "office*", "workplace", "kitchen", "lounge", "building", "view from", "biuro", "biura",
        "biurze", "biur", "biurach", "biurow*", "kuchni*", "siedzib*", "open space", "openspace",
    ),
    "event": (
        "event*", "conference*", "meetup*", "meet-up*", "trade fair*", "trade show*", "fair",
        "expo", "summit", "booth", "stand", "hackathon*", "workshop*", "wydarzeni*", "konferencj*",
        "targ*", "warsztat*", "event", "eventy", "impreza*", "integracj*", "offsite", "off-site",
        "team building", "teambuilding",
    ),
    "talk": (
        "speak*", "talks", "a talk", "tech talk*", "speaker*", "presentation*", "webinar*",
        "panel*", "podcast*", "keynote*", "lecture*", "guest article*", "prelekcj*", "prelegent*",
        "wystapieni*", "wystapic", "wystepowa*", "prezentacj*", "wyklad*", "poprowadz*",
        "prowadzic", "webinari*",
    ),
    "award": (
        "award*", "prize*", "ranking*", "recognition", "recognised", "recognized",
        "best place* to work", "best place* work", "best employer*", "top employer*",
        "great place to work", "winner*", "won", "win", "nagrod*", "wyroznieni*", "laur*",
        "zdobyl*", "wygral*", "tytul*", "congrat*", "gratul*", "pogratul*",
    ),
    "job": (
        "jobs", "job ad*", "job advert*", "job post*", "job offer*", "job opening*", "job listing*",
        "open role*", "open position*", "openings", "position*", "vacanc*", "hiring", "hire",
        "recruit*", "career*", "candidate*", "referral*", "oferta pracy", "oferty pracy",
        "ogloszeni* o prac*", "rekrut*", "wakat*", "stanowisk*", "kandydat*", "kariera", "karier*",
        "zatrudnia*", "szukamy",
    ),
    "brand": (
        "logo", "logos", "loga", "logotyp*", "brand*", "trademark*", "merch*", "t-shirt*",
        "tshirt*", "shirt*", "mug*", "sticker*", "graphic*", "font*", "colour*", "color*", "marka",
        "marki", "marke", "znak* towarow*", "koszulk*", "gadzet*", "grafik*", "naklejk*", "kubk*",
        "kolor*", "custom",
    ),
    "own_job": (
        "my job", "my work", "my role", "my team", "my day", "day to day", "daily work",
        "what i do", "moja praca", "mojej pracy", "swojej pracy", "swoja praca", "codzienn*",
        "moim zespole", "swoim zespole", "w zespole", "czym sie zajmuje", "my projects",
    ),
    "general": (
        "what can i say", "what can i post", "what can i share", "what can i write", "what topics",
        "which topics", "what am i allowed", "what is ok to", "co moge pisac", "co moge publikowac",
        "co moge udostepniac", "o czym moge", "jakie tematy", "o czym wolno",
    ),

    # Ways of posting and program mechanics
    "share_act": (
        "post", "share*", "repost*", "reshare*", "publish*", "write", "writing", "wrote", "brag*",
        "boast*", "show off", "pochwal*", "chwali*", "pokaza*", "opisa*", "talk about",
        "speak about", "say about", "upload*", "tweet*", "retweet*", "put up", "wrzuc*", "wrzuca*",
        "udostepni*", "opublikowa*", "publikowa*", "publikacj*", "podziel*", "zamiesci*",
        "zamieszcza*", "wstawi*", "repostowa*", "dodac", "dodawac", "napisa*", "pisac", "pisani*",
        "posted", "posting", "posta", "postem", "postu", "postach", "postami", "postow*",
        "postowa*",
    ),
    "social": (
        "linkedin*", "twitter", "x.com", "facebook", "fb", "instagram", "insta", "ig", "tiktok",
        "youtube", "mastodon", "threads", "social media", "social", "socials", "feed",
        "social mediach",
    ),
    "comment": (
        "comment*", "reply", "replies", "respond*", "response", "answer*", "react*", "komentarz*",
        "komentowa*", "skomentowa*", "odpisa*", "odpowiedz*", "odpowiada*", "reagowa*",
    ),
    "negative": (
        "negative", "criticism", "criticis*", "criticiz*", "critical", "complain*", "troll*",
        "hate", "hater*", "bad review*", "trash*", "bash*", "attack*", "insult*", "negatywn*",
        "krytyk*", "krytyczn*", "skarg*", "hejt*", "trol*", "atak*", "obraza*", "zle opini*",
        "bad press",
    ),
    "crisis": (
        "crisis", "crises", "scandal*", "controvers*", "shitstorm*", "lawsuit*", "viral",
        "backlash", "negative press", "negative news", "bad news", "critical article*", "kryzys*",
        "afer*", "skandal*", "kontrowers*", "pozw*", "burz*", "gownoburz*",
    ),
    "politics": (
        "politic*", "election*", "vote*", "voting", "political part*", "government*", "religio*",
        "referend*", "polityczn*", "o polityce", "wybor*", "glosowa*", "partia", "partii", "partie",
        "partyjn*", "rzad*", "religi*", "religijn*", "protest*", "activis*", "aktywizm*",
    ),
    "claim": (
        "claim*", "best", "fastest", "most secure", "safest", "number one", "no 1", "no. 1",
        "guarantee*", "superlative*", "cheapest", "leading", "leader", "savings", "save", "saves",
        "outperform*", "twierdzeni*", "najlepsz*", "najszybsz*", "najbezpieczniejsz*", "najtansz*",
        "gwarant*", "oszczedz*", "oszczedn*", "lider*", "benchmark*",
    ),
    "paid": (
        "paid promotion*", "paid post*", "paid partnership*", "paid collab*", "paid content",
        "payment for", "paid to post", "paid for posting", "sponsored post*", "sponsored content",
        "sponsorship deal*", "collab*", "gift*", "freebie*", "free trip*", "free product*",
        "kickback*", "commission*", "affiliate*", "influenc*", "money", "cash", "platn*", "kasa",
        "kase", "pieniad*", "prezent*", "darmow* wyjazd*", "sponsorowan* post*",
        "post* sponsorowan*", "tresc* sponsorowan*", "gift card*", "voucher*", "bon towarowy",
        "bony", "darmow* wycieczk*", "platn* wspolprac*", "platn* promocj*", "prowizj*", "reklam*",
    ),
    "disclaimer": (
        "disclaimer*", "views are my own", "views my own", "opinions are my own", "opinions my own",
        "my own opinion*", "own view*", "personal opinion*", "klauzul*", "dopisek", "dopisk*",
        "zastrzezeni*", "prywatn* zdani*", "moje zdanie", "prywatn* opini*", "wlasn* opini*",
        "wlasne zdanie", "opinion*", "opini*", "view", "views", "poglad*", "zdanie",
    ),
    "disclosure": (
        "disclose*", "disclosure", "transparen*", "i work at", "employee", "employer",
        "i m an employee", "im an employee", "i am an employee", "that i work",
        "ze jestem pracownik*", "jestem pracownik*", "affiliation", "pracownik*", "pracodawc*",
        "zaznacz*", "przejrzyst*", "ze pracuje", "pracuje w",
    ),
    "hashtag": (
        "hashtag*", "hasztag*", "haszt*", "hash tag*",
    ),
    "frequency": (
        "how often", "frequency", "often", "times a week", "per week", "a week", "daily", "weekly",
        "cadence", "how many times", "jak czesto", "czesto", "ile razy", "czestotliw*",
        "tygodniowo", "codziennie", "w tygodniu",
    ),
    "profile": (
        "profile*", "headline*", "banner*", "bio", "about section", "summary", "profil*",
        "naglowek", "naglowk*", "baner*", "sekcj* informacj*", "zdjeci* profilow*",
    ),
    "points": (
        "point*", "reward*", "leaderboard*", "gamification", "catalog*", "catalogue*", "redeem*",
        "punkt*", "pkt", "katalog*", "wymieni*", "wymian*",
    ),
    "program": (
        "program*", "programme*", "ambassador*", "advocacy", "advocate*", "ambasador*", "hub",
    ),
    "opt_out": (
        "opt out", "opt-out", "optout", "turn off", "switch off", "disable", "reminder*",
        "przypomnie*", "stop getting", "too many messages", "leave the program*", "leave program*",
        "leave the ambassador*", "leave the advocacy", "quit", "unsubscribe*", "stop", "mute",
        "notification*", "rezygn*", "zrezygnowa*", "wypisa*", "wypis*", "opusci*", "powiadomieni*",
        "wycisz*", "wylacz*",
    ),
    "edit": (
        "edit*", "change*", "rewrite*", "reword*", "rephrase*", "personalis*", "personaliz*",
        "modify", "adapt*", "own words", "word for word", "tweak*", "przerob*", "zmieni*",
        "edytowa*", "przeredagowa*", "wlasnymi slowami", "dostosowa*", "suggested post*",
        "proponowan*",
    ),
    "mistake": (
        "oops", "ups", "mistake*", "accident*", "by accident", "wrong*", "shouldn t have",
        "should not have", "delete*", "take down", "remove*", "by mistake", "pomylk*",
        "przypadkiem", "niechcac*", "omylkow*", "blednie", "usun*", "wpadk*", "nie powinienem",
        "nie powinnam", "co teraz", "what now", "what do i do now", "i posted", "i shared",
        "i published", "i ve posted", "i have posted", "already posted", "opublikowalem",
        "opublikowalam", "wrzucilem", "wrzucilam", "udostepnilem", "udostepnilam", "napisalem",
        "napisalam",
    ),
    "contact": (
        "contact*", "who owns", "owner*", "who do i ask", "who should i ask", "who to ask",
        "whom to ask", "who can i ask", "kontakt*", "do kogo", "kogo zapytac", "wlasciciel*",
    ),
    "policy": (
        "policy", "policies", "rule*", "guideline*", "regulation*", "polityk* social*",
        "polityk* medi*", "polityk* firm*", "zasad*", "regulamin*", "wytyczn*", "reguly",
    ),

    # Time and publicity: the axis that separates most allowed/not-allowed pairs
    "not_yet_public": (
        "before", "not yet", "yet", "upcoming", "tomorrow", "jutro", "next week", "next month",
        "w przyszlym", "za tydzien", "unreleased", "unannounced", "unpublished", "not announced",
        "not public", "soon", "next", "early", "ahead", "embargo*", "ships next", "coming",
        "planned", "future", "zanim", "jeszcze nie", "przed", "nieopublikowan*", "niezapowiedzian*",
        "nieogloszon*", "niepubliczn*", "wkrotce", "przyszl*", "nadchodzac*", "planowan*",
        "szykuj*", "jeszcze nie wyszl*", "nie wyszl*", "nie wyszedl", "nie wyszla", "nie weszl*",
    ),
    "already_public": (
        "already", "published", "announced", "launched", "released", "live", "went live",
        "came out", "is out", "are out", "out now", "official*", "public", "publicly",
        "press release", "after", "once", "now available", "juz", "opublikowan*", "ogloszon*",
        "oficjaln*", "publiczn*", "premier*", "dostepn*", "po publikacji", "sa w raporcie",
        "na stronie", "on our website", "on the website", "website", "strona", "stronie",
        "now that", "on our blog", "on the blog", "na blogu", "na naszym blogu",
    ),
}
