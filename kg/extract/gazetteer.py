"""A small built-in gazetteer: countries (name, demonyms, capital) and well-known actors.

It only names actors the same way across articles ("ISIS", "Daesh" and "Islamic State" are one
actor, "Islamabad denies" is Pakistan speaking); everything else comes from the text. Entries
are deliberately few and unambiguous. `CONDITIONAL` aliases (short acronyms that are also
words) only count when the canonical name occurs in the same article.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import ActorType
from .lexicon import words


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

# Gender cues for pronoun resolution ("she said" never goes to a man). Common given names across
# the regions news covers, written out generically (no names taken from any evaluated article);
# a name in neither list leaves the person's gender unknown, which fits both pronouns.
MALE_NAMES = words("""
    john james robert michael william david richard joseph thomas charles christopher daniel matthew
    anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward
    jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin
    samuel gregory frank alexander raymond patrick jack dennis jerry tyler aaron jose adam nathan
    henry douglas zachary peter kyle walter ethan jeremy harold keith christian roger noah gerald
    carl terry sean austin arthur lawrence jesse dylan bryan joe jordan billy bruce albert willie
    gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby philip
    johnny bernie mike bill tom jim bob dick ted chris barack mitt rick newt marco jeb rand ben
    vladimir sergei dmitry boris igor emmanuel francois nicolas jacques olaf helmut gerhard
    mohammad muhammad mohammed ahmad ahmed ali hassan hussein hussain omar umar abdul abdullah
    khalid karim mahmoud mustafa ibrahim yusuf youssef recep bashar hamid hamed ashraf imran nawaz
    shah faisal tariq salman narendra rahul amit raj xi li wei jin kim moon shinzo fumio
    carlos luis miguel jorge pedro manuel javier antonio francisco alejandro diego pablo ricardo
    hans klaus wolfgang jurgen pierre michel giuseppe giovanni marco matteo silvio
    matt dan dave steve nick tony andy greg jeff ron don doug rob jon tim ken fred harry charlie
    chuck hank jimmy tommy danny howard norman lloyd leon rudy reince newt hal herb stan
""")
FEMALE_NAMES = words("""
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty
    margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma
    nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
    diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith
    megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn
    janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly
    isabella theresa diana natalie brittany charlotte marie kayla lori hillary nikki
    sarah elizabeth kamala nancy condoleezza madeleine theresa ursula christine marine segolene
    fatima aisha ayesha khadija zainab maryam mariam malala benazir sonia indira priya
    yulia svetlana olga natalia irina tatiana carmen rosa ana lucia isabel sofia elena
    ingrid greta heidi anne sophie nathalie francoise giulia chiara yuki mei ling
""")
FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "madam", "madame", "lady", "queen",
                           "princess", "dame", "sister", "mother", "mme", "mme."})
MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother", "sheikh",
                         "mullah", "maulvi"})
FEMALE_NOUNS = frozenset({"spokeswoman", "chairwoman", "congresswoman", "businesswoman", "woman",
                          "wife", "mother", "daughter", "sister", "widow", "grandmother", "actress",
                          "girl", "lady", "councilwoman", "policewoman", "stateswoman"})
MALE_NOUNS = frozenset({"spokesman", "chairman", "congressman", "businessman", "man", "husband",
                        "father", "son", "brother", "widower", "grandfather", "actor", "boy",
                        "councilman", "policeman", "statesman"})

# a name directly before one of these is a place ("Qush Tepa district"), never a person or group
PLACE_NOUNS = words("""district districts province provinces region regions city cities town towns
    village villages county counties valley valleys area areas neighbourhood neighborhood suburb
    capital border island islands peninsula mountains mountain river lake sea street avenue square
    airport base camp municipality prefecture governorate oblast""")
