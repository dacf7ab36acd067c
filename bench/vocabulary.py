"""Words the synthetic customers are made of: Czech and English company names with their
diacritics, contacts, addresses and phone numbers.

The sizes are calibrated on issue 11's data set: a Czech-style name is "<trade> <surname>
<legal form>", six customers in ten carry one, and there are 90 trades and 110 surnames, so at
a million customers "Zelenina" begins about 6,700 names and "Zelenina Šeb" (one surname,
Šebek, starts with "Šeb") about 61. bench/dataset.py relies on those counts; change them only
together with the terms in bench/operations.py.
"""

from __future__ import annotations

import unicodedata
from functools import cache

# fmt: off
CZECH_TRADES = (
    "Agro", "Autodoprava", "Autoservis", "Bednářství", "Betonárna", "Bioprodukt", "Cukrárna",
    "Cyklosport", "Čalounictví", "Čistírna", "Dřevostavby", "Drogerie", "Elektro",
    "Elektroinstalace", "Farma", "Fotoateliér", "Galvanovna", "Geodezie", "Hodinářství",
    "Hospoda", "Hračkářství", "Chladírenství", "Chovatelství", "Instalatérství", "Izolace",
    "Kadeřnictví", "Kamenictví", "Kavárna", "Klempířství", "Knihkupectví", "Kovárna",
    "Kovovýroba", "Krejčovství", "Lakýrnictví", "Lékárna", "Lesnictví", "Malířství", "Masna",
    "Mlékárna", "Montáže", "Nábytek", "Nakladatelství", "Obkladačství", "Obuv", "Optika",
    "Pekárna", "Pila", "Pivovar", "Plastika", "Pneuservis", "Podlahářství", "Pohřebnictví",
    "Potraviny", "Projekce", "Reklama", "Restaurace", "Řeznictví", "Sklenářství", "Slévárna",
    "Stavby", "Stavebniny", "Stolařství", "Strojírna", "Sušárna", "Šperkařství", "Švadlenka",
    "Tesařství", "Textil", "Tiskárna", "Truhlářství", "Účetnictví", "Úklid", "Uzenářství",
    "Vinařství", "Vodoinstalace", "Výtahy", "Zahradnictví", "Zámečnictví", "Zelenina",
    "Železářství", "Zlatnictví", "Zverimex", "Žaluzie", "Ovocnářství", "Papírnictví",
    "Pokrývačství", "Rybářství", "Sadařství", "Tapetářství", "Včelařství",
)

# Male forms; contacts' female forms come from female_surname().
CZECH_SURNAMES = (
    "Bartoš", "Beneš", "Bednář", "Bláha", "Blažek", "Brabec", "Bureš", "Cihlář", "Čech",
    "Čermák", "Černý", "Doležal", "Dostál", "Dušek", "Dvořák", "Fiala", "Hájek", "Hanák",
    "Havlíček", "Hladík", "Holub", "Hora", "Horák", "Hruška", "Hrubý", "Charvát", "Janda",
    "Jelínek", "Jiráček", "Kadlec", "Kalina", "Kazda", "Klíma", "Kolář", "Konečný", "Kopecký",
    "Kotek", "Kovář", "Král", "Kratochvíl", "Krejčí", "Kříž", "Kubíček", "Kučera", "Lang",
    "Mach", "Malý", "Mareš", "Marek", "Mašek", "Matoušek", "Moravec", "Musil", "Müller",
    "Navrátil", "Nedvěd", "Němec", "Novák", "Novotný", "Ondráček", "Pavlík", "Pešek",
    "Pokorný", "Polák", "Pospíšil", "Procházka", "Růžička", "Řezníček", "Říha", "Sedláček",
    "Skála", "Slanina", "Sokol", "Soukup", "Staněk", "Svoboda", "Sýkora", "Šafránek", "Šebek",
    "Ševčík", "Šimek", "Šindelář", "Šťastný", "Štěpánek", "Šulc", "Tichý", "Toman", "Tomášek",
    "Tůma", "Urban", "Vacek", "Valenta", "Vaněk", "Vávra", "Veselý", "Vlček", "Vondráček",
    "Vrba", "Zedník", "Zelinka", "Zeman", "Žák", "Bartáček", "Dvořáček", "Havel", "Jirásek",
    "Kubát", "Pokora", "Rybář", "Tesař",
)

CZECH_FORMS = ("s.r.o.",) * 14 + ("a.s.",) * 3 + ("spol. s r.o.",) * 2 + ("v.o.s.",)

CZECH_MALE_NAMES = (
    "Jan", "Petr", "Josef", "Pavel", "Martin", "Tomáš", "Jaroslav", "Miroslav", "Zdeněk",
    "Václav", "Michal", "František", "Jiří", "Lukáš", "Ondřej", "Radek", "Jakub", "Vojtěch",
    "Roman", "Aleš",
)
CZECH_FEMALE_NAMES = (
    "Jana", "Marie", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Lucie", "Věra", "Alena",
    "Petra", "Veronika", "Jaroslava", "Tereza", "Martina", "Michaela", "Zdeňka", "Ludmila",
    "Jitka", "Šárka",
)

ENGLISH_ADJECTIVES = (
    "Alpine", "Amber", "Atlas", "Blue", "Bright", "Cedar", "Coastal", "Crystal", "Delta",
    "Eagle", "Evergreen", "First", "Golden", "Granite", "Green", "Harbor", "Highland",
    "Horizon", "Iron", "Keystone", "Lakeside", "Liberty", "Maple", "Meridian", "Metro",
    "Midland", "Nordic", "Northern", "Oak", "Ocean", "Pacific", "Pine", "Pioneer", "Prime",
    "Quantum", "Red", "Redwood", "Ridge", "River", "Royal", "Sierra", "Silver", "Summit",
    "Sunrise", "Swift", "Trinity", "Union", "United", "Valley", "Vertex", "Western", "White",
    "Willow", "Zenith", "Zephyr",
)
ENGLISH_NOUNS = (
    "Analytics", "Bakery", "Builders", "Cloud", "Consulting", "Data", "Design", "Digital",
    "Dynamics", "Energy", "Engineering", "Foods", "Freight", "Health", "Holdings",
    "Industries", "Logistics", "Media", "Networks", "Partners", "Pharma", "Retail", "Robotics",
    "Security", "Software", "Solutions", "Systems", "Technologies", "Textiles", "Trading",
    "Ventures", "Works",
)
ENGLISH_FIRST_NAMES = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Susan", "Richard", "Jessica", "Joseph", "Sarah", "Thomas", "Karen",
    "Oliver", "Emma", "Lukas", "Anna", "Jonas", "Lena", "Jakub", "Zofia",
)
ENGLISH_LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
    "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker",
    "Adams", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hofmann",
    "Kowalski", "Nowak", "Wiśniewski",
)

# Country → (its share of the customers, Czech-style names there, the legal forms of
# English-style names, agreement document language, phone prefix and digits, email TLD).
COUNTRIES: dict[str, dict] = {
    "CZ": {"share": 70, "czech": 0.73, "forms": ("s.r.o.",), "document": "cs-CZ", "phone": ("+4206", 8), "tld": "cz"},
    "SK": {"share": 12, "czech": 0.73, "forms": ("s.r.o.",), "document": "sk-SK", "phone": ("+4219", 8), "tld": "sk"},
    "DE": {"share": 4, "czech": 0.0, "forms": ("GmbH", "AG"), "document": "de-DE", "phone": ("+49151", 8), "tld": "de"},
    "AT": {"share": 3, "czech": 0.0, "forms": ("GmbH",), "document": "de-AT", "phone": ("+43664", 7), "tld": "at"},
    "GB": {"share": 4, "czech": 0.0, "forms": ("Ltd", "plc"), "document": "en-GB", "phone": ("+447700900", 3), "tld": "co.uk"},
    "US": {"share": 4, "czech": 0.0, "forms": ("Inc.", "LLC"), "document": "en-US", "phone": ("+120255501", 2), "tld": "com"},
    "PL": {"share": 3, "czech": 0.0, "forms": ("sp. z o.o.",), "document": "pl-PL", "phone": ("+48501", 6), "tld": "pl"},
}

CITIES = {
    "CZ": ("Praha", "Brno", "Ostrava", "Plzeň", "Liberec", "Olomouc", "České Budějovice", "Hradec Králové", "Ústí nad Labem", "Pardubice", "Zlín", "Kladno", "Jihlava", "Třebíč", "Znojmo"),
    "SK": ("Bratislava", "Košice", "Prešov", "Žilina", "Nitra", "Banská Bystrica"),
    "DE": ("Berlin", "München", "Hamburg", "Köln", "Dresden", "Leipzig"),
    "AT": ("Wien", "Graz", "Linz", "Salzburg"),
    "GB": ("London", "Manchester", "Leeds", "Bristol"),
    "US": ("Seattle", "Austin", "Chicago", "Boston"),
    "PL": ("Warszawa", "Kraków", "Wrocław", "Poznań"),
}
STREETS = (
    "Masarykova", "Národní", "Husova", "Palackého", "Nádražní", "Školní", "Komenského",
    "Jiráskova", "Tyršova", "Sokolská", "Hlavní", "Zahradní", "Lipová", "Polní", "Krátká",
)

# fmt: on
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "partner-crm-sync/4.2 (python-requests/2.32)",
)


def female_surname(surname: str) -> str:
    """Novák → Nováková, Černý → Černá, Procházka → Procházková, Šebek → Šebková."""
    if surname.endswith("ý"):
        return surname[:-1] + "á"
    if surname.endswith("í"):
        return surname
    if surname.endswith("a"):
        return surname[:-1] + "ová"
    if surname.endswith("ek"):
        return surname[:-2] + "ková"
    return surname + "ová"


@cache
def ascii_fold(text: str) -> str:
    """Šebek → sebek: what a name becomes in a domain or an email address."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum())).lower()
