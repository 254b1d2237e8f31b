"""Write the demo catalogue ``jena-opendata.ttl`` and its small sample files.

The datasets are modelled on the 69 datasets of Jena's former CKAN portal
(opendata.jena.de, 2016-2023): its titles, groups, formats and licence (Datenlizenz
Deutschland – Namensnennung 2.0). Their files are small plausible samples, so every
download and preview works offline; the datasets are marked as demo content.
Run ``python -m allmende.catalog.demo.build_demo`` after changing the table below.
"""

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
EU = "http://publications.europa.eu/resource/authority/"
JENA = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000"
LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
MEDIA = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "PDF": "application/pdf",
    "XML": "application/xml",
    "WMS_SRVC": "",
}
PUBLISHERS = {
    "stadt-jena": "Stadt Jena",
    "kommunal-service-jena": "Kommunal Service Jena",
    "stadtwerke-jena": "Stadtwerke Jena",
    "jenaer-nahverkehr": "Jenaer Nahverkehr",
    "jenakultur": "JenaKultur",
}

# slug, title (de), title (en), themes, formats, publisher, frequency, keywords, description
DATASETS: list[tuple[str, str, str, str, str, str, str, str, str]] = [
    (
        "vornamen",
        "Vornamen",
        "First names",
        "SOCI",
        "CSV JSON",
        "stadt-jena",
        "ANNUAL",
        "Vornamen,Geburten,Statistik",
        "Häufigkeit der Vornamen der in Jena geborenen Kinder nach Jahr und Geschlecht.",
    ),
    (
        "entsorgungstermine",
        "Entsorgungstermine des Kommunalservice Jena",
        "Waste collection dates",
        "ENVI",
        "CSV JSON",
        "kommunal-service-jena",
        "ANNUAL",
        "Abfall,Müllabfuhr,Entsorgung",
        "Abholtermine für Restabfall, Bioabfall, Papier und Gelbe Tonne nach Straße und Abfuhrbezirk.",
    ),
    (
        "hundekottuetenspender",
        "Hundekottütenspender",
        "Dog waste bag dispensers",
        "ENVI",
        "CSV JSON WMS_SRVC",
        "kommunal-service-jena",
        "IRREG",
        "Hunde,Sauberkeit,Stadtmobiliar",
        "Standorte der Spender für Hundekotbeutel im Stadtgebiet mit Koordinaten.",
    ),
    (
        "fahrradabstellanlagen",
        "Fahrradabstellanlagen",
        "Bicycle parking",
        "TRAN",
        "CSV JSON WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Radverkehr,Fahrrad,Parken",
        "Öffentliche Fahrradbügel und Abstellanlagen mit Anzahl der Stellplätze und Überdachung.",
    ),
    (
        "maengelmelder",
        "Mängel (Mängelmelder)",
        "Reported defects",
        "GOVE",
        "CSV JSON",
        "stadt-jena",
        "DAILY",
        "Mängelmelder,Bürgerservice,Infrastruktur",
        "Über den Mängelmelder gemeldete Schäden im öffentlichen Raum mit Kategorie und Bearbeitungsstand.",
    ),
    (
        "adressen-verortet",
        "Adressen verortet",
        "Geocoded addresses",
        "REGI",
        "CSV WMS_SRVC",
        "stadt-jena",
        "MONTHLY",
        "Adressen,Hausnummern,Geodaten",
        "Alle amtlichen Adressen der Stadt Jena mit Ortsteil und Koordinaten (ETRS89/UTM 32N).",
    ),
    (
        "entwicklungsprojekte",
        "Entwicklungsprojekte",
        "Urban development projects",
        "REGI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Stadtentwicklung,Bauprojekte",
        "Laufende und geplante Projekte der Stadtentwicklung mit Lage, Träger und Zeitplan.",
    ),
    (
        "bueromarktzonen",
        "Büromarktzonen",
        "Office market zones",
        "ECON",
        "PDF WMS_SRVC",
        "stadt-jena",
        "ANNUAL",
        "Büromarkt,Wirtschaft,Immobilien",
        "Abgrenzung der Büromarktzonen für den Büromarktbericht der Wirtschaftsförderung.",
    ),
    (
        "statische-ladepunkte",
        "Statische Ladepunkte",
        "Charging points",
        "ENER",
        "CSV JSON",
        "stadtwerke-jena",
        "MONTHLY",
        "Elektromobilität,Laden,Energie",
        "Öffentlich zugängliche Ladepunkte für Elektrofahrzeuge mit Leistung und Steckertyp.",
    ),
    (
        "offener-haushalt",
        "Offener Haushalt",
        "Open budget",
        "GOVE ECON",
        "CSV JSON PDF",
        "stadt-jena",
        "ANNUAL",
        "Haushalt,Finanzen,Transparenz",
        "Erträge und Aufwendungen des städtischen Haushalts nach Produktbereichen.",
    ),
    (
        "wohngebaeude-und-wohnungen",
        "Wohngebäude und Wohnungen",
        "Residential buildings and flats",
        "SOCI REGI",
        "CSV JSON",
        "stadt-jena",
        "ANNUAL",
        "Wohnen,Gebäude,Statistik",
        "Bestand an Wohngebäuden und Wohnungen nach Ortsteil und Zahl der Räume.",
    ),
    (
        "wohnberechtigte-bevoelkerung",
        "Wohnberechtigte Bevölkerung",
        "Resident population",
        "SOCI",
        "CSV JSON",
        "stadt-jena",
        "ANNUAL",
        "Bevölkerung,Einwohner,Statistik",
        "Wohnberechtigte Bevölkerung mit Haupt- und Nebenwohnsitz nach Ortsteil.",
    ),
    (
        "einwohner-nach-alter",
        "Einwohner nach Alter",
        "Population by age",
        "SOCI",
        "CSV JSON",
        "stadt-jena",
        "ANNUAL",
        "Bevölkerung,Alter,Statistik",
        "Einwohner mit Hauptwohnsitz nach Altersgruppen und Ortsteil.",
    ),
    (
        "kraftfahrzeugbestand",
        "Kraftfahrzeugbestand",
        "Registered vehicles",
        "TRAN",
        "CSV JSON",
        "stadt-jena",
        "ANNUAL",
        "Verkehr,Kfz,Statistik",
        "Zugelassene Kraftfahrzeuge nach Fahrzeugart und Antrieb am Jahresende.",
    ),
    (
        "katasterflaeche",
        "Katasterfläche",
        "Cadastral area",
        "REGI",
        "CSV",
        "stadt-jena",
        "ANNUAL",
        "Fläche,Kataster,Flächennutzung",
        "Katasterfläche nach Art der tatsächlichen Nutzung.",
    ),
    (
        "statistische-privathaushalte",
        "Statistische Privathaushalte",
        "Private households",
        "SOCI",
        "CSV JSON",
        "stadt-jena",
        "ANNUAL",
        "Haushalte,Bevölkerung,Statistik",
        "Privathaushalte nach Haushaltsgröße und Haushaltstyp.",
    ),
    (
        "baumkataster",
        "Baumkataster",
        "Tree register",
        "ENVI",
        "CSV JSON WMS_SRVC",
        "stadt-jena",
        "MONTHLY",
        "Bäume,Stadtgrün,Umwelt",
        "Straßen- und Parkbäume der Stadt mit Gattung, Art, Pflanzjahr und Kronendurchmesser.",
    ),
    (
        "naturdenkmale",
        "Naturdenkmale",
        "Natural monuments",
        "ENVI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Naturschutz,Denkmal,Umwelt",
        "Geschützte Naturdenkmale mit Beschreibung und Lage.",
    ),
    (
        "wahlergebnisse-stadtrat",
        "Wahlergebnisse Stadtratswahl",
        "City council election results",
        "GOVE",
        "CSV JSON",
        "stadt-jena",
        "NEVER",
        "Wahlen,Stadtrat,Politik",
        "Ergebnisse der Stadtratswahl nach Wahlbezirk: Wahlbeteiligung und Stimmen je Partei.",
    ),
    (
        "wahlbezirke",
        "Wahlbezirke",
        "Electoral districts",
        "GOVE",
        "PDF WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Wahlen,Wahlbezirke,Politik",
        "Abgrenzung der Wahlbezirke und Zuordnung der Wahllokale.",
    ),
    (
        "schulen",
        "Schulen",
        "Schools",
        "EDUC",
        "CSV JSON WMS_SRVC",
        "stadt-jena",
        "ANNUAL",
        "Schulen,Bildung",
        "Allgemeinbildende und berufsbildende Schulen mit Schulart und Träger.",
    ),
    (
        "schuelerzahlen",
        "Schülerzahlen",
        "Pupil numbers",
        "EDUC",
        "CSV",
        "stadt-jena",
        "ANNUAL",
        "Schule,Bildung,Statistik",
        "Schülerinnen und Schüler nach Schulart und Klassenstufe.",
    ),
    (
        "kindertageseinrichtungen",
        "Kindertageseinrichtungen",
        "Day-care centres",
        "EDUC SOCI",
        "CSV JSON WMS_SRVC",
        "stadt-jena",
        "ANNUAL",
        "Kita,Kinderbetreuung,Familie",
        "Kindertagesstätten mit Träger, Plätzen und Öffnungszeiten.",
    ),
    (
        "bibliotheken",
        "Bibliotheken",
        "Libraries",
        "EDUC",
        "JSON",
        "jenakultur",
        "IRREG",
        "Bibliothek,Bildung,Kultur",
        "Standorte und Öffnungszeiten der Ernst-Abbe-Bücherei und ihrer Zweigstellen.",
    ),
    (
        "volkshochschule-kurse",
        "Kursangebot der Volkshochschule",
        "Adult education courses",
        "EDUC",
        "JSON XML",
        "stadt-jena",
        "WEEKLY",
        "Weiterbildung,Kurse,Bildung",
        "Kurse der Volkshochschule Jena mit Termin, Ort und Entgelt.",
    ),
    (
        "museen",
        "Museen",
        "Museums",
        "EDUC",
        "JSON",
        "jenakultur",
        "IRREG",
        "Museum,Kultur,Tourismus",
        "Städtische Museen mit Adresse, Öffnungszeiten und Eintrittspreisen.",
    ),
    (
        "veranstaltungen",
        "Veranstaltungskalender",
        "Events calendar",
        "EDUC",
        "JSON",
        "jenakultur",
        "DAILY",
        "Veranstaltungen,Kultur,Freizeit",
        "Öffentliche Veranstaltungen in Jena aus dem Kulturkalender.",
    ),
    (
        "sportstaetten",
        "Sportstätten",
        "Sports facilities",
        "EDUC",
        "CSV WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Sport,Freizeit",
        "Sporthallen, Sportplätze und Schwimmhallen mit Nutzungsarten.",
    ),
    (
        "spielplaetze",
        "Spielplätze",
        "Playgrounds",
        "SOCI",
        "CSV JSON WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Spielplatz,Familie,Freizeit",
        "Öffentliche Spielplätze mit Altersgruppen und Spielgeräten.",
    ),
    (
        "haltestellen",
        "Haltestellen des Nahverkehrs",
        "Public transport stops",
        "TRAN",
        "CSV JSON",
        "jenaer-nahverkehr",
        "MONTHLY",
        "ÖPNV,Haltestellen,Bus,Straßenbahn",
        "Bus- und Straßenbahnhaltestellen mit Koordinaten und Barrierefreiheit.",
    ),
    (
        "fahrgastzahlen",
        "Fahrgastzahlen",
        "Passenger numbers",
        "TRAN",
        "CSV",
        "jenaer-nahverkehr",
        "ANNUAL",
        "ÖPNV,Fahrgäste,Statistik",
        "Beförderte Fahrgäste nach Linie und Monat.",
    ),
    (
        "verkehrszaehlungen",
        "Verkehrszählungen",
        "Traffic counts",
        "TRAN",
        "CSV PDF",
        "stadt-jena",
        "ANNUAL",
        "Verkehr,Zählung,Kfz",
        "Ergebnisse der Verkehrszählungen an Knotenpunkten (Kfz je 24 h).",
    ),
    (
        "baustellen",
        "Baustellen und Verkehrseinschränkungen",
        "Road works",
        "TRAN",
        "JSON XML",
        "stadt-jena",
        "DAILY",
        "Baustellen,Verkehr,Straßen",
        "Aktuelle Baustellen mit Zeitraum, Art der Einschränkung und Umleitung.",
    ),
    (
        "radverkehrskonzept",
        "Radverkehrskonzept",
        "Cycling strategy",
        "TRAN",
        "PDF",
        "stadt-jena",
        "NEVER",
        "Radverkehr,Konzept,Gutachten",
        "Radverkehrskonzept der Stadt Jena mit Maßnahmenplan.",
    ),
    (
        "laermaktionsplan",
        "Lärmaktionsplan",
        "Noise action plan",
        "ENVI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "NEVER",
        "Lärm,Umwelt,Gutachten",
        "Lärmaktionsplan mit Lärmkarten für Straßen- und Schienenverkehr.",
    ),
    (
        "luftreinhalteplan",
        "Luftreinhalteplan",
        "Clean air plan",
        "ENVI",
        "PDF",
        "stadt-jena",
        "NEVER",
        "Luft,Umwelt,Gutachten",
        "Luftreinhalteplan mit Messwerten und Maßnahmen zur Minderung von Stickstoffdioxid.",
    ),
    (
        "klimaschutzkonzept",
        "Klimaschutzkonzept",
        "Climate protection strategy",
        "ENVI ENER",
        "PDF",
        "stadt-jena",
        "NEVER",
        "Klima,Energie,Gutachten",
        "Integriertes Klimaschutzkonzept mit CO2-Bilanz und Maßnahmen.",
    ),
    (
        "stadtklimaanalyse",
        "Stadtklimaanalyse",
        "Urban climate analysis",
        "ENVI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "NEVER",
        "Klima,Hitze,Gutachten",
        "Klimaanalysekarten zu Kaltluft, Überwärmung und Belüftung.",
    ),
    (
        "hochwasserrisiko",
        "Hochwasserrisikokarten",
        "Flood risk maps",
        "ENVI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "NEVER",
        "Hochwasser,Saale,Umwelt",
        "Überschwemmungsgebiete und Risikokarten entlang der Saale.",
    ),
    (
        "gewaesser",
        "Gewässer",
        "Watercourses",
        "ENVI",
        "WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Wasser,Gewässer,Umwelt",
        "Fließ- und Stillgewässer im Stadtgebiet mit Gewässerordnung.",
    ),
    (
        "schutzgebiete",
        "Schutzgebiete",
        "Protected areas",
        "ENVI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Naturschutz,Landschaftsschutz",
        "Naturschutz- und Landschaftsschutzgebiete sowie FFH-Gebiete.",
    ),
    (
        "bebauungsplaene",
        "Bebauungspläne",
        "Development plans",
        "REGI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Bauleitplanung,Bebauungsplan",
        "Rechtskräftige Bebauungspläne mit Planurkunde und Begründung.",
    ),
    (
        "flaechennutzungsplan",
        "Flächennutzungsplan",
        "Land use plan",
        "REGI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "NEVER",
        "Bauleitplanung,Flächennutzung",
        "Flächennutzungsplan der Stadt Jena mit Erläuterungsbericht.",
    ),
    (
        "bodenrichtwerte",
        "Bodenrichtwerte",
        "Standard land values",
        "ECON",
        "PDF WMS_SRVC",
        "stadt-jena",
        "BIENNIAL",
        "Boden,Immobilien,Gutachterausschuss",
        "Bodenrichtwerte des Gutachterausschusses je Richtwertzone.",
    ),
    (
        "mietspiegel",
        "Mietspiegel",
        "Rent index",
        "ECON SOCI",
        "PDF",
        "stadt-jena",
        "BIENNIAL",
        "Miete,Wohnen,Gutachten",
        "Qualifizierter Mietspiegel mit Tabellen und Erläuterungen.",
    ),
    (
        "wohnungsmarktbericht",
        "Wohnungsmarktbericht",
        "Housing market report",
        "ECON SOCI",
        "PDF",
        "stadt-jena",
        "ANNUAL",
        "Wohnen,Gutachten",
        "Bericht zu Angebot, Nachfrage und Preisen auf dem Jenaer Wohnungsmarkt.",
    ),
    (
        "gewerbeanmeldungen",
        "Gewerbeanmeldungen",
        "Business registrations",
        "ECON",
        "CSV JSON",
        "stadt-jena",
        "QUARTERLY",
        "Gewerbe,Wirtschaft,Statistik",
        "Gewerbean-, -um- und -abmeldungen nach Wirtschaftszweig.",
    ),
    (
        "beschaeftigte",
        "Sozialversicherungspflichtig Beschäftigte",
        "Employees",
        "ECON",
        "CSV JSON",
        "stadt-jena",
        "ANNUAL",
        "Arbeit,Beschäftigung,Statistik",
        "Beschäftigte am Arbeits- und Wohnort nach Wirtschaftsabschnitt.",
    ),
    (
        "arbeitslose",
        "Arbeitslose",
        "Unemployed persons",
        "ECON SOCI",
        "CSV JSON",
        "stadt-jena",
        "MONTHLY",
        "Arbeit,Arbeitsmarkt,Statistik",
        "Arbeitslose nach Rechtskreis, Geschlecht und Altersgruppe.",
    ),
    (
        "gewerbeflaechen",
        "Gewerbeflächen",
        "Commercial sites",
        "ECON",
        "PDF WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Gewerbe,Wirtschaftsförderung",
        "Verfügbare Gewerbeflächen mit Größe und Erschließung.",
    ),
    (
        "tourismus-uebernachtungen",
        "Gästeankünfte und Übernachtungen",
        "Tourist arrivals and nights",
        "ECON EDUC",
        "CSV",
        "jenakultur",
        "MONTHLY",
        "Tourismus,Statistik",
        "Ankünfte und Übernachtungen in Beherbergungsbetrieben.",
    ),
    (
        "stadtratsbeschluesse",
        "Beschlüsse des Stadtrats",
        "City council decisions",
        "GOVE",
        "JSON XML",
        "stadt-jena",
        "WEEKLY",
        "Stadtrat,Beschlüsse,Politik",
        "Beschlüsse des Stadtrats mit Sitzungsdatum und Abstimmungsergebnis.",
    ),
    (
        "ortsteilraete",
        "Ortsteilräte",
        "District councils",
        "GOVE",
        "JSON",
        "stadt-jena",
        "IRREG",
        "Ortsteile,Beteiligung,Politik",
        "Ortsteilbürgermeister und Ortsteilräte mit Sitzungsterminen.",
    ),
    (
        "verwaltungsstandorte",
        "Standorte der Stadtverwaltung",
        "City administration offices",
        "GOVE",
        "CSV JSON",
        "stadt-jena",
        "IRREG",
        "Verwaltung,Bürgerservice",
        "Dienststellen mit Adresse, Öffnungszeiten und Barrierefreiheit.",
    ),
    (
        "stellenplan",
        "Stellenplan",
        "Staff plan",
        "GOVE",
        "PDF",
        "stadt-jena",
        "ANNUAL",
        "Verwaltung,Personal,Haushalt",
        "Stellenplan der Stadtverwaltung als Teil des Haushaltsplans.",
    ),
    (
        "beteiligungsbericht",
        "Beteiligungsbericht",
        "Municipal companies report",
        "GOVE ECON",
        "PDF",
        "stadt-jena",
        "ANNUAL",
        "Beteiligungen,Haushalt,Dokumentation",
        "Bericht über die Unternehmen mit städtischer Beteiligung.",
    ),
    (
        "statistisches-jahrbuch",
        "Statistisches Jahrbuch",
        "Statistical yearbook",
        "SOCI GOVE",
        "PDF",
        "stadt-jena",
        "ANNUAL",
        "Statistik,Dokumentation",
        "Statistisches Jahrbuch der Stadt Jena mit allen Themenbereichen.",
    ),
    (
        "ortsteile",
        "Ortsteile",
        "City districts",
        "REGI",
        "JSON WMS_SRVC",
        "stadt-jena",
        "NEVER",
        "Ortsteile,Geodaten,Verwaltungsgrenzen",
        "Grenzen und Namen der 30 Ortsteile von Jena.",
    ),
    (
        "strassenverzeichnis",
        "Straßenverzeichnis",
        "Street directory",
        "REGI",
        "CSV JSON",
        "stadt-jena",
        "MONTHLY",
        "Straßen,Adressen",
        "Alle gewidmeten Straßen mit Straßenschlüssel und Ortsteil.",
    ),
    (
        "denkmalliste",
        "Denkmalliste",
        "Listed monuments",
        "EDUC REGI",
        "PDF WMS_SRVC",
        "stadt-jena",
        "IRREG",
        "Denkmalschutz,Kultur",
        "Kulturdenkmale der Stadt nach Thüringer Denkmalschutzgesetz.",
    ),
    (
        "friedhoefe",
        "Friedhöfe",
        "Cemeteries",
        "SOCI",
        "PDF WMS_SRVC",
        "kommunal-service-jena",
        "IRREG",
        "Friedhof,Infrastruktur",
        "Städtische Friedhöfe mit Grabarten und Öffnungszeiten.",
    ),
    (
        "wertstoffhoefe",
        "Wertstoffhöfe und Containerstandorte",
        "Recycling centres",
        "ENVI",
        "CSV JSON WMS_SRVC",
        "kommunal-service-jena",
        "IRREG",
        "Abfall,Recycling",
        "Wertstoffhöfe und Standorte der Glas- und Altkleidercontainer.",
    ),
    (
        "strassenreinigung",
        "Straßenreinigung",
        "Street cleaning",
        "ENVI",
        "PDF WMS_SRVC",
        "kommunal-service-jena",
        "ANNUAL",
        "Straßenreinigung,Winterdienst",
        "Reinigungsklassen der Straßen und Winterdienstprioritäten.",
    ),
    (
        "oeffentliche-toiletten",
        "Öffentliche Toiletten",
        "Public toilets",
        "SOCI",
        "CSV JSON",
        "kommunal-service-jena",
        "IRREG",
        "Toiletten,Barrierefreiheit",
        "Öffentliche Toiletten mit Öffnungszeiten und Barrierefreiheit.",
    ),
    (
        "trinkwasserqualitaet",
        "Trinkwasserqualität",
        "Drinking water quality",
        "HEAL ENVI",
        "PDF",
        "stadtwerke-jena",
        "ANNUAL",
        "Trinkwasser,Gesundheit",
        "Analysewerte des Jenaer Trinkwassers nach Versorgungszone.",
    ),
    (
        "energieverbrauch-staedtischer-gebaeude",
        "Energieverbrauch städtischer Gebäude",
        "Energy use of municipal buildings",
        "ENER",
        "CSV",
        "stadt-jena",
        "ANNUAL",
        "Energie,Gebäude,Klima",
        "Wärme-, Strom- und Wasserverbrauch der kommunalen Liegenschaften.",
    ),
    (
        "photovoltaik-potenzial",
        "Solarpotenzial der Dachflächen",
        "Rooftop solar potential",
        "ENER ENVI",
        "WMS_SRVC",
        "stadtwerke-jena",
        "NEVER",
        "Solar,Energie,Klima",
        "Eignung der Dachflächen für Photovoltaik und Solarthermie.",
    ),
    (
        "gesundheitsbericht",
        "Gesundheitsbericht",
        "Health report",
        "HEAL",
        "PDF",
        "stadt-jena",
        "NEVER",
        "Gesundheit,Dokumentation",
        "Kommunaler Gesundheitsbericht mit Schwerpunkt Kinder- und Jugendgesundheit.",
    ),
    (
        "apotheken-notdienst",
        "Apotheken",
        "Pharmacies",
        "HEAL",
        "JSON",
        "stadt-jena",
        "IRREG",
        "Gesundheit,Apotheke",
        "Apotheken im Stadtgebiet mit Adresse und Öffnungszeiten.",
    ),
    (
        "wlan-hotspots",
        "Öffentliche WLAN-Hotspots",
        "Public Wi-Fi hotspots",
        "TECH",
        "CSV JSON",
        "stadtwerke-jena",
        "IRREG",
        "WLAN,Digitalisierung,Internet",
        "Standorte der öffentlichen WLAN-Zugangspunkte.",
    ),
]


def _rows(slug: str) -> list[list[str]]:
    """A few plausible rows for a dataset's CSV/JSON sample (header first)."""
    districts = ["Zentrum", "Lobeda", "Winzerla", "Nord", "Ost", "West", "Göschwitz"]
    head = ["Ortsteil", "Jahr", "Wert"]
    rows = [head] + [[d, "2022", str(100 + 37 * i)] for i, d in enumerate(districts)]
    if slug == "vornamen":
        rows = [
            ["Vorname", "Geschlecht", "Anzahl", "Jahr"],
            ["Emma", "w", "21", "2022"],
            ["Mia", "w", "17", "2022"],
            ["Noah", "m", "19", "2022"],
            ["Paul", "m", "16", "2022"],
            ["Matilda", "w", "14", "2022"],
            ["Emil", "m", "14", "2022"],
        ]
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _json(rows: list[list[str]]) -> bytes:
    head, *body = rows
    return json.dumps(
        [dict(zip(head, r, strict=True)) for r in body], ensure_ascii=False, indent=1
    ).encode()


def _pdf(title: str) -> bytes:
    """A one-page PDF saying what the document is (ASCII text only)."""
    text = title.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 60 760 Td (Demo: {text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _xml(slug: str, rows: list[list[str]]) -> bytes:
    head, *body = rows
    items = "".join(
        "  <eintrag>"
        + "".join(f"<{h.lower()}>{v}</{h.lower()}>" for h, v in zip(head, r, strict=True))
        + "</eintrag>\n"
        for r in body
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{slug}>\n{items}</{slug}>\n'.encode()


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _distribution(slug: str, title: str, fmt: str, n: int) -> tuple[str, str, bytes | None]:
    """Turtle for one distribution, its file name and bytes (None for a service)."""
    node = f"<{{SITE}}/dataset/{slug}/distribution/{n}>"
    code = fmt
    if fmt == "WMS_SRVC":
        url = f"https://geodienste.jena.demo.invalid/wms/{slug}?SERVICE=WMS&REQUEST=GetCapabilities"
        return (
            f"{node} a dcat:Distribution ; dct:title {_literal(title + ' (WMS)')}@de ;\n"
            f"  dcat:accessURL <{url}> ; dct:format <{EU}file-type/{code}> ;\n"
            f"  dct:license <{LICENCE}> .\n",
            "",
            None,
        )
    ext = fmt.lower()
    name = f"{slug}.{ext}"
    rows = _rows(slug)
    content = {
        "CSV": lambda: _csv(rows),
        "JSON": lambda: _json(rows),
        "PDF": lambda: _pdf(title),
        "XML": lambda: _xml(slug.replace("-", "_"), rows),
    }[fmt]()
    url = f"{{FILES}}{name}"
    media = MEDIA[fmt]
    return (
        f"{node} a dcat:Distribution ; dct:title {_literal(name)} ;\n"
        f"  dcat:accessURL <{url}> ; dcat:downloadURL <{url}> ;\n"
        f"  dct:format <{EU}file-type/{code}> ;\n"
        f"  dcat:mediaType <https://www.iana.org/assignments/media-types/{media}> ;\n"
        f'  dcat:byteSize "{len(content)}"^^xsd:nonNegativeInteger ;\n'
        f"  dct:license <{LICENCE}> .\n",
        name,
        content,
    )


PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _dataset(n: int, entry: tuple[str, ...], files: dict[str, bytes]) -> str:
    slug, title, title_en, themes, formats, publisher, frequency, keywords, description = entry
    node = f"<{{SITE}}/dataset/{slug}>"
    dists = [_distribution(slug, title, fmt, i + 1) for i, fmt in enumerate(formats.split())]
    for _turtle, name, content in dists:
        if content is not None:
            files[name] = content
    year = 2016 + n % 7
    parts = [
        f"{node} a dcat:Dataset ;",
        f"  dct:identifier {_literal('jena-' + slug)} ;",
        f"  dct:title {_literal(title)}@de , {_literal(title_en)}@en ;",
        f"  dct:description {_literal(description)}@de ;",
        "  dcat:keyword " + " , ".join(f"{_literal(k)}@de" for k in keywords.split(",")) + " ;",
        "  dcat:theme " + " , ".join(f"<{EU}data-theme/{t}>" for t in themes.split()) + " ;",
        f"  dct:publisher <{{SITE}}/organisation/{publisher}> ;",
        f"  dct:accrualPeriodicity <{EU}frequency/{frequency}> ;",
        f"  dct:accessRights <{EU}access-right/PUBLIC> ;",
        f"  dct:language <{EU}language/DEU> ;",
        f'  dct:issued "{year}-0{1 + n % 9}-15T09:00:00Z"^^xsd:dateTime ;',
        f'  dct:modified "2023-0{1 + n % 9}-1{n % 10}T12:00:00Z"^^xsd:dateTime ;',
        "  dcatde:politicalGeocodingLevelURI <http://dcat-ap.de/def/politicalGeocoding/Level/municipality> ;",
        f"  dct:spatial <{JENA}> ;",
        f'  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "{year}-01-01"^^xsd:date ] ;',
        '  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Team Open Data" ;',
        "    vcard:hasEmail <mailto:opendata@jena.demo.invalid> ] ;",
        "  dcat:distribution "
        + " , ".join(f"<{{SITE}}/dataset/{slug}/distribution/{i + 1}>" for i in range(len(dists)))
        + " .",
    ]
    return "\n".join(parts) + "\n" + "".join(t for t, _n, _c in dists) + "\n"


def _agents() -> str:
    return "".join(
        f"<{{SITE}}/organisation/{slug}> a foaf:Agent ; foaf:name {_literal(name)}@de ;\n"
        f"  dct:type <http://purl.org/adms/publishertype/LocalAuthority> .\n"
        for slug, name in PUBLISHERS.items()
    )


def build() -> None:
    files: dict[str, bytes] = {}
    body = "".join(_dataset(n, entry, files) for n, entry in enumerate(DATASETS))
    (HERE / "jena-opendata.ttl").write_text(PREFIXES + "\n" + _agents() + "\n" + body, "utf-8")
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    for name, content in files.items():
        (FILES / name).write_bytes(content)
    print(f"{len(DATASETS)} datasets, {len(files)} files")


if __name__ == "__main__":
    build()
