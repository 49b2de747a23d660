"""A small built-in gazetteer: countries (name, demonyms, capital) and well-known actors.

It only names actors the same way across articles ("ISIS", "Daesh" and "Islamic State" are one
actor, "Islamabad denies" is Pakistan speaking); everything else comes from the text. Entries
are deliberately few and unambiguous. `CONDITIONAL` aliases (short acronyms that are also
words) only count when the canonical name occurs in the same article.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import ActorType


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    demonyms: tuple[str, ...]
    capital: str | None
    aliases: tuple[str, ...] = ()


COUNTRIES: tuple[Country, ...] = (
    Country("Afghanistan", ("Afghan",), "Kabul"),
    Country("Pakistan", ("Pakistani",), "Islamabad"),
    Country("India", ("Indian",), "New Delhi"),
    Country("China", ("Chinese",), "Beijing"),
    Country("Russia", ("Russian",), "Moscow", ("Russian Federation",)),
    Country("United States", ("US", "American", "U.S."), "Washington",
            ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America")),
    Country("United Kingdom", ("British", "UK", "U.K."), "London", ("UK", "U.K.", "Britain", "Great Britain")),
    Country("France", ("French",), "Paris"),
    Country("Germany", ("German",), "Berlin"),
    Country("Italy", ("Italian",), "Rome"),
    Country("Spain", ("Spanish",), "Madrid"),
    Country("Turkey", ("Turkish",), "Ankara", ("Türkiye",)),
    Country("Iran", ("Iranian",), "Tehran"),
    Country("Iraq", ("Iraqi",), "Baghdad"),
    Country("Syria", ("Syrian",), "Damascus"),
    Country("Israel", ("Israeli",), "Jerusalem"),
    Country("Saudi Arabia", ("Saudi",), "Riyadh"),
    Country("Egypt", ("Egyptian",), "Cairo"),
    Country("Lebanon", ("Lebanese",), "Beirut"),
    Country("Jordan", ("Jordanian",), "Amman"),
    Country("Yemen", ("Yemeni",), "Sanaa"),
    Country("Qatar", ("Qatari",), "Doha"),
    Country("United Arab Emirates", ("Emirati",), "Abu Dhabi", ("UAE",)),
    Country("Ukraine", ("Ukrainian",), "Kyiv", ("Kiev",)),
    Country("Poland", ("Polish",), "Warsaw"),
    Country("Japan", ("Japanese",), "Tokyo"),
    Country("South Korea", ("South Korean",), "Seoul"),
    Country("North Korea", ("North Korean",), "Pyongyang"),
    Country("Canada", ("Canadian",), "Ottawa"),
    Country("Mexico", ("Mexican",), "Mexico City"),
    Country("Brazil", ("Brazilian",), "Brasilia"),
    Country("Nigeria", ("Nigerian",), "Abuja"),
    Country("Kenya", ("Kenyan",), "Nairobi"),
    Country("South Africa", ("South African",), "Pretoria"),
    Country("Ethiopia", ("Ethiopian",), "Addis Ababa"),
    Country("Somalia", ("Somali",), "Mogadishu"),
    Country("Libya", ("Libyan",), "Tripoli"),
    Country("Mali", ("Malian",), "Bamako"),
    Country("Bangladesh", ("Bangladeshi",), "Dhaka"),
    Country("Myanmar", ("Burmese",), "Naypyidaw", ("Burma",)),
    Country("Indonesia", ("Indonesian",), "Jakarta"),
    Country("Philippines", ("Filipino", "Philippine"), "Manila"),
    Country("Australia", ("Australian",), "Canberra"),
    Country("Venezuela", ("Venezuelan",), "Caracas"),
    Country("Cuba", ("Cuban",), "Havana"),
    Country("Greece", ("Greek",), "Athens"),
    Country("Hungary", ("Hungarian",), "Budapest"),
    Country("Belarus", ("Belarusian",), "Minsk"),
    Country("Uzbekistan", ("Uzbek",), "Tashkent"),
    Country("Tajikistan", ("Tajik",), "Dushanbe"),
    Country("Turkmenistan", ("Turkmen",), "Ashgabat"),
)


@dataclass(frozen=True, slots=True)
class Known:
    name: str
    type: ActorType
    aliases: tuple[str, ...] = ()


KNOWN: tuple[Known, ...] = (
    Known("Islamic State", ActorType.ARMED_GROUP,
          ("ISIS", "ISIL", "Daesh", "Islamic State group", "IS", "'Islamic State'", '"Islamic State"')),
    Known("Taliban", ActorType.ARMED_GROUP, ("Afghan Taliban",)),
    Known("al-Qaeda", ActorType.ARMED_GROUP, ("al Qaeda", "Al-Qaeda", "Al Qaeda", "al-Qaida", "Al-Qaida")),
    Known("Hezbollah", ActorType.ARMED_GROUP, ("Hizbollah", "Hizbullah")),
    Known("Hamas", ActorType.ARMED_GROUP),
    Known("Boko Haram", ActorType.ARMED_GROUP),
    Known("al-Shabab", ActorType.ARMED_GROUP, ("al-Shabaab", "Al-Shabaab", "Al-Shabab")),
    Known("NATO", ActorType.ORGANISATION, ("North Atlantic Treaty Organization", "Nato")),
    Known("United Nations", ActorType.ORGANISATION, ("UN", "U.N.")),
    Known("European Union", ActorType.ORGANISATION, ("EU", "E.U.")),
    Known("DW", ActorType.MEDIA, ("Deutsche Welle",)),
    Known("Reuters", ActorType.MEDIA),
    Known("Associated Press", ActorType.MEDIA, ("AP", "The Associated Press")),
    Known("AFP", ActorType.MEDIA, ("Agence France-Presse", "Agence France Presse")),
    Known("BBC", ActorType.MEDIA),
    Known("CNN", ActorType.MEDIA),
    Known("Al Jazeera", ActorType.MEDIA, ("Al-Jazeera",)),
    Known("The New York Times", ActorType.MEDIA, ("New York Times", "the Times")),
    Known("The Washington Post", ActorType.MEDIA, ("Washington Post",)),
    Known("Fox News", ActorType.MEDIA),
)

# short aliases that are also ordinary words or headline capitals: need the name in the article
CONDITIONAL = frozenset({"IS"})
