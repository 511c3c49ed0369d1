"""Common Finnish given names and surnames, in base form and lowercase.

A gazetteer beside Voikko's proper-noun classes (``nlp.names``): it decides
lowercase and upper-case names, where the case says nothing, and surnames that
are also ordinary words ("Kivi", "Laine"), which Voikko does not always know as
names. Drawn from the most common names in Finland's population register;
add names freely, they are data.
"""

from __future__ import annotations

from typing import Final

_GIVEN = """
aada aapo aaro aarne aatu aino aila aili aimo aira airi aki akseli aleksi aleksanteri
alexander alina alisa alma altti amanda amir anja anna anne anneli anni annika anssi
antero anton antti anu ari arja arto arttu arvo asko atte aune auli aulis aune eemeli
eemil eero eetu eevi eeva eija eila eino eira elias elina eliisa elisa elli ellen elmeri
elsa emilia emma emmi enni erik erika erkki esa esko eveliina heidi heikki heini heino
heli helena heli helinä helka hely henna henri henrik henriikka hanna hannele hannu
harri heikki hilkka hillevi hilma hilppa ida iida iiris ilkka ilmari ilona inkeri irja
irma irmeli iris isto jaakko jaana jalmari jani janika janne jari jarkko jarmo jarno
jenna jenni jere jesse joel johanna johannes joni jonna jonne joonas jorma jouko jouni
juha juhani juho jukka julia juuso jyrki jussi jutta jyri kaarina kaarlo kai kaija kaisa
kaisu kalervo kalle kari karoliina kasper katariina kati katja kauko kerttu kimmo kirsi
kirsti kristiina kristian kristiina kyösti laila lassi lauri laura leena leevi lahja
leila lenni liisa lilja linnea lotta lasse leo leevi lilja lyyli maarit maija maiju
marika marita marja marjaana marjatta marjo marjut markku marko markus marita martta
martti matias matilda matti mauno maria marianne marika merja mervi miia mika mikael
mikko milla minna mirja mirjami mirva mervi mona nea neea niina niilo niklas niko
nina noora nooa olavi oliver olli onni oona oskari ossi otto outi paavo paula pauli
pauliina pekka pentti perttu pertti petra petri petteri pia piia pirjo pirkko päivi
raija raimo raili raimo rasmus reijo reino riikka riitta risto ronja ritva roope
rauno rami sakari saara saana sami samuli sanna santeri sara sari sakari seppo sinikka
sirkka sirpa soile sofia sohvi suvi susanna sulo taina taisto taneli tapani tapio
tarja tatu teemu tero terhi terttu teuvo tiia tiina timo tommi toni topi topias tuija
tuomas tuomo tuula tuulikki tuomas unto urpo uuno valtteri vappu varpu veera veeti
veijo veikko veli vesa vilho viljami ville vilma vilppu virpi visa väinö ylva yrjö
jouni jukka-pekka anna-liisa anna-maija marja-leena pirjo-riitta tuula-maria
pasi pete raili anja helmi lempi tyyne rauha sisko kielo aamu
mohammed mohamed ahmed ali fatima hassan hussein abdi yusuf omar ibrahim
"""

_SURNAMES = """
korhonen virtanen mäkinen nieminen mäkelä hämäläinen laine heikkinen koskinen järvinen
lehtonen lehtinen saarinen salminen heinonen niemi heikkilä kinnunen salonen turunen
salo laitinen tuominen rantanen karjalainen jokinen mattila savolainen lahtinen
ahonen hiltunen hirvonen miettinen leinonen pitkänen aaltonen manninen hyvönen
lindholm ojala leppänen kiiskinen väisänen lindroos eskola peltonen kauppinen
laaksonen hakala jääskeläinen kettunen huttunen niskanen koivisto pesonen anttila
ahola räsänen seppälä lindqvist sirén koivula vainio tanskanen hakkarainen kärkkäinen
laakso mustonen rissanen lindström kokkonen toivonen nurmi lahti kallio laukkanen
jokela honkanen mäkipää harju oksanen rönkkö mikkonen väänänen hyttinen luoma
kemppainen nyman hänninen lampinen moilanen kivelä nurmi ikonen ruotsalainen
pulkkinen kivinen ketola parviainen kiviniemi toivanen söderholm hietala kokko
saari valtonen rajala pelkonen mikkola lundqvist vartiainen lappalainen tikkanen
auvinen keränen korpela soininen nykänen suominen markkanen rautiainen tiainen
korpi vesterinen pakarinen kukkonen ranta rantala jantunen backman nyström grönroos
aalto koivu kivi mäki kari niemelä haapala vuorinen vuori hannula salmi valkonen
rinne hirvi lind hietanen kangas koski laine virta heino aho lehto uusitalo
marin stubb niinistö orpo purra halla-aho rinne sipilä kekkonen
"""

GIVEN_NAMES: Final = frozenset(_GIVEN.split())
SURNAMES: Final = frozenset(_SURNAMES.split())

# Words after which a capitalised word is most likely a person's name ("hoitaja
# Jaroslav", "naapurini Wang"), as prefixes of their inflected forms.
ROLE_WORDS: Final = (
    "hoitaja", "hoitajan", "sairaanhoitaja", "lähihoitaja", "terveydenhoitaja", "kätilö",
    "lääkäri", "omalääkäri", "tohtori", "hammaslääkäri", "fysioterapeut", "terapeut",
    "psykologi", "kuraattori", "sosiaalityöntekijä", "työntekijä", "opettaja", "johtaja",
    "esimies", "esihenkilö", "naapuri", "ystävä", "kaveri", "työkaveri", "herra", "rouva",
    "neiti", "nimeltä", "poika", "tytär", "äiti", "isä", "mummo", "mummi", "vaari", "pappa",
    "vaimo", "mies", "setä", "täti", "veli", "sisko", "ministeri", "pormestari", "asukas",
)
