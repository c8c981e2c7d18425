# ruff: noqa: E501  (a data file: long quotes, URLs and citations stay on one line)
"""Build the built-in map "Breaking the cycle of reoffending" (slug ``breaking-the-cycle``).

Run from anywhere:  python scripts/build_builtin_map.py

It reads the two seed documents from ``<repo root>/../shared/seeds`` (or ``$LOOPWISE_SEEDS_DIR``),
cuts every seed quote out of them by its first and last words (so each quote is copied
character for character and its span is computed, never typed), checks the map with
``loopwise.model.Map`` and writes ``src/loopwise/data/maps/breaking-the-cycle.json``.

Figures and findings come from publications checked in ``shared/domain/verified-figures.md``;
their ``text`` is the verbatim wording recorded there (item numbers are given in comments).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("LOOPWISE_SEEDS_DIR", REPO.parent / "shared" / "seeds"))
OUT = REPO / "src" / "loopwise" / "data" / "maps" / "breaking-the-cycle.json"

NPC_FILE = "000_8becc94c9f9319c9.txt"
CGL_FILE = "004_a8f2dc39369e899e.txt"
CODER = "loopwise-builtin"


def read_seed(name: str) -> str:
    with open(SEEDS / name, encoding="utf-8", newline="") as fh:
        return fh.read()


SEED_TEXT = {NPC_FILE: read_seed(NPC_FILE), CGL_FILE: read_seed(CGL_FILE)}

# --------------------------------------------------------------------------- sources


def csl(type_, title, year, url=None, authors=None, publisher=None, month=None, day=None, **extra):
    date = [year] + ([month] if month else []) + ([day] if day and month else [])
    out = {"type": type_, "title": title}
    if authors:
        out["author"] = authors
    if publisher:
        out["publisher"] = publisher
    out["issued"] = {"date-parts": [date]}
    if url:
        out["URL"] = url
    out.update(extra)
    return out


MOJ = [{"literal": "Ministry of Justice"}]
NPC_TITLE = "Uncovering key factors that can help break the cycle of reoffending"

SOURCES = [
    {
        "id": "npc-2021-interviews",
        "kind": "interview",
        "title": "Interviewees’ own words in NPC’s “" + NPC_TITLE + "” (interviews run by NPC "
        "and Revolving Doors Agency with people who have been in contact with the criminal "
        "justice system)",
        "year": 2021,
        "file": NPC_FILE,
        "citation": csl(
            "post-weblog",
            NPC_TITLE,
            2021,
            authors=[{"family": "Rose", "given": "Abigail"}],
            publisher="NPC (New Philanthropy Capital)",
            month=6,
            day=25,
        ),
        "attributes": {"voice": "interviewee", "collected_by": "NPC and Revolving Doors Agency"},
        "note": "First-person passages of the seed article: the words of people with lived "
        "experience of the criminal justice system. Participants are not identified.",
    },
    {
        "id": "npc-2021-article",
        "kind": "literature",
        "title": NPC_TITLE,
        "year": 2021,
        "file": NPC_FILE,
        "citation": csl(
            "post-weblog",
            NPC_TITLE,
            2021,
            authors=[{"family": "Rose", "given": "Abigail"}],
            publisher="NPC (New Philanthropy Capital)",
            month=6,
            day=25,
        ),
        "attributes": {"voice": "author"},
        "note": "NPC’s own summary sentences of its interview findings (Abigail Rose, 25 June 2021).",
    },
    {
        "id": "cgl-2017-rebalancing-act",
        "kind": "practitioner",
        "title": "Rebalancing act (Change Grow Live)",
        "year": 2017,
        "file": CGL_FILE,
        "citation": csl(
            "post-weblog",
            "Rebalancing act",
            2017,
            authors=[{"literal": "Change Grow Live"}],
            publisher="Change Grow Live",
            month=2,
            day=14,
        ),
        "attributes": {"voice": "practitioner"},
        "note": "Change Grow Live’s article on Revolving Doors Agency’s Rebalancing Act resource, "
        "14 February 2017.",
    },
    # verified-figures item 1 and item 2 (raw rates)
    {
        "id": "moj-2025-proven-reoffending-apr-jun-2023",
        "kind": "statistic",
        "title": "Proven reoffending statistics: April to June 2023",
        "year": 2025,
        "url": "https://gov.uk/government/statistics/proven-reoffending-statistics-april-to-june-2023/proven-reoffending-statistics-april-to-june-2023",
        "citation": csl(
            "report",
            "Proven reoffending statistics: April to June 2023",
            2025,
            authors=MOJ,
            publisher="Ministry of Justice",
            month=4,
            day=24,
            url="https://gov.uk/government/statistics/proven-reoffending-statistics-april-to-june-2023/proven-reoffending-statistics-april-to-june-2023",
            genre="Accredited official statistics",
        ),
        "note": "Cohort: April to June 2023, followed up for one year. A newer quarter may exist.",
    },
    # verified-figures item 2 (matched comparison)
    {
        "id": "eaton-mews-2019-short-sentences",
        "kind": "literature",
        "title": "The impact of short custodial sentences, community orders and suspended "
        "sentence orders on reoffending",
        "year": 2019,
        "url": "https://assets.publishing.service.gov.uk/media/5d1c732ee5274a08cdbe45c4/impact-short-custodial-sentences.pdf",
        "citation": csl(
            "report",
            "The impact of short custodial sentences, community orders and "
            "suspended sentence orders on reoffending",
            2019,
            authors=[
                {"family": "Eaton", "given": "Georgina"},
                {"family": "Mews", "given": "Aidan"},
            ],
            publisher="Ministry of Justice",
            url="https://assets.publishing.service.gov.uk/media/5d1c732ee5274a08cdbe45c4/impact-short-custodial-sentences.pdf",
            **{"collection-title": "Ministry of Justice Analytical Series"},
        ),
        "note": "Wording as seen in a mirror of the report "
        "(https://vdocuments.net/the-impact-of-short-custodial-sentences-community-orders-custodial-sentences.html); "
        "the excerpt seen stopped mid-sentence.",
    },
    {
        "id": "hamilton-2021-sentencing-options",
        "kind": "literature",
        "title": "The Effectiveness of Sentencing Options: A review of key research findings",
        "year": 2021,
        "url": "https://docslib.org/doc/8515564/the-effectiveness-of-sentencing-options",
        "citation": csl(
            "report",
            "The Effectiveness of Sentencing Options: A review of key research findings",
            2021,
            authors=[{"family": "Hamilton", "given": "Melissa"}],
            publisher="Sentencing Academy",
            month=1,
            url="https://docslib.org/doc/8515564/the-effectiveness-of-sentencing-options",
        ),
        "note": "Seen at the docslib copy given as URL.",
    },
    # verified-figures item 3
    {
        "id": "moj-2019-costs-of-reoffending",
        "kind": "literature",
        "title": "Economic and social costs of reoffending: Analytical report",
        "year": 2019,
        "url": "https://www.russellwebster.com/reoffcosts/",
        "citation": csl(
            "report",
            "Economic and social costs of reoffending: Analytical report",
            2019,
            authors=[
                {"family": "Newton", "given": "Andrew"},
                {"family": "May", "given": "Xavier"},
                {"family": "Eames", "given": "Steve"},
                {"family": "Ahmad", "given": "Maryam"},
            ],
            publisher="Ministry of Justice",
            url="https://www.russellwebster.com/reoffcosts/",
            **{"collection-title": "Ministry of Justice Analytical Series"},
        ),
        "note": "Key findings read in the faithful copy at the URL given (Russell Webster); the "
        "gov.uk landing page was not seen by the check. Cohort: 2016, costs at 2017/18 prices.",
    },
    {
        "id": "moj-2022-wq-cost-of-reoffending",
        "kind": "statistic",
        "title": "Written question 137323: reoffending (answer by the Ministry of Justice, 14 March 2022)",
        "year": 2022,
        "url": "https://questions-statements.parliament.uk/written-questions/detail/2022-03-09/137323",
        "citation": csl(
            "document",
            "Written question 137323, answered 14 March 2022",
            2022,
            authors=MOJ,
            publisher="UK Parliament",
            month=3,
            day=14,
            url="https://questions-statements.parliament.uk/written-questions/detail/2022-03-09/137323",
        ),
    },
    # verified-figures item 4
    {
        "id": "moj-2025-accommodation-outcomes",
        "kind": "statistic",
        "title": "Offender accommodation outcomes – statistical summary (update to March 2025)",
        "year": 2025,
        "url": "https://www.gov.uk/government/statistics/offender-accommodation-outcomes-update-to-march-2025/offender-accommodation-outcomes-statistical-summary",
        "citation": csl(
            "report",
            "Offender accommodation outcomes – statistical summary",
            2025,
            authors=[
                {"literal": "Ministry of Justice"},
                {"literal": "HM Prison and Probation Service"},
            ],
            publisher="Ministry of Justice",
            month=7,
            day=31,
            url="https://www.gov.uk/government/statistics/offender-accommodation-outcomes-update-to-march-2025/offender-accommodation-outcomes-statistical-summary",
            genre="Official statistics",
        ),
    },
    {
        "id": "hmip-2020-accommodation-thematic",
        "kind": "literature",
        "title": "Accommodation and support for adult offenders in the community and on release "
        "from prison in England (thematic inspection)",
        "year": 2020,
        "url": "https://www.justiceinspectorates.gov.uk/hmiprobation/media/press-releases/2020/07/accommodationthematic/",
        "citation": csl(
            "report",
            "Accommodation and support for adult offenders in the community and on "
            "release from prison in England",
            2020,
            authors=[{"literal": "HM Inspectorate of Probation"}],
            publisher="HM Inspectorate of Probation",
            month=7,
            url="https://www.justiceinspectorates.gov.uk/hmiprobation/media/press-releases/2020/07/accommodationthematic/",
        ),
        "note": "Wording from the inspectorate’s press release of July 2020. The reoffending and "
        "recall comparisons are from a follow-up sample of 116 people.",
    },
    {
        "id": "moj-2018-wq-reoffenders-accommodation",
        "kind": "statistic",
        "title": "Written answer on reoffenders (Ministry of Justice, October 2018)",
        "year": 2018,
        "url": "https://www.parallelparliament.co.uk/question/183963/reoffenders",
        "citation": csl(
            "document",
            "Written question 183963: Reoffenders",
            2018,
            authors=MOJ,
            publisher="UK Parliament",
            month=10,
            url="https://www.parallelparliament.co.uk/question/183963/reoffenders",
        ),
        "note": "Refers to the Surveying Prisoner Crime Reduction (SPCR) accommodation study (2012).",
    },
    # verified-figures item 5
    {
        "id": "moj-2025-employment-outcomes",
        "kind": "statistic",
        "title": "Offender employment outcomes – statistical summary (update to March 2025)",
        "year": 2025,
        "url": "https://www.gov.uk/government/statistics/offender-employment-outcomes-update-to-march-2025/offender-employment-outcomes-statistical-summary",
        "citation": csl(
            "report",
            "Offender employment outcomes – statistical summary",
            2025,
            authors=[
                {"literal": "Ministry of Justice"},
                {"literal": "HM Prison and Probation Service"},
            ],
            publisher="Ministry of Justice",
            month=7,
            day=31,
            url="https://www.gov.uk/government/statistics/offender-employment-outcomes-update-to-march-2025/offender-employment-outcomes-statistical-summary",
        ),
    },
    {
        "id": "moj-2024-employment-outcomes",
        "kind": "statistic",
        "title": "Offender Employment Outcomes – Statistical Summary (update to March 2024)",
        "year": 2024,
        "url": "https://gov.uk/government/statistics/offender-employment-outcomes-update-to-march-2024/offender-employment-outcomes-statistical-summary",
        "citation": csl(
            "report",
            "Offender Employment Outcomes – Statistical Summary",
            2024,
            authors=MOJ,
            publisher="Ministry of Justice",
            month=7,
            day=25,
            url="https://gov.uk/government/statistics/offender-employment-outcomes-update-to-march-2024/offender-employment-outcomes-statistical-summary",
        ),
    },
    {
        "id": "moj-2018-wq-employment-and-training",
        "kind": "statistic",
        "title": "Written question HL8905: Offenders: Employment and Training (answer, July 2018)",
        "year": 2018,
        "url": "https://parallelparliament.co.uk/question/HL8905/offenders-employment-and-training",
        "citation": csl(
            "document",
            "Written question HL8905: Offenders: Employment and Training",
            2018,
            authors=MOJ,
            publisher="UK Parliament",
            month=7,
            url="https://parallelparliament.co.uk/question/HL8905/offenders-employment-and-training",
        ),
    },
    # verified-figures item 6
    {
        "id": "hansard-2009-prisoners-mentally-ill",
        "kind": "statistic",
        "title": "Prisoners: Mentally Ill (House of Commons written answer, 23 March 2009)",
        "year": 2009,
        "url": "https://hansard.parliament.uk/Commons/2009-03-23/debates/0903241000070/PrisonersMentallyIll",
        "citation": csl(
            "document",
            "Prisoners: Mentally Ill",
            2009,
            authors=MOJ,
            publisher="UK Parliament (Hansard)",
            month=3,
            day=23,
            url="https://hansard.parliament.uk/Commons/2009-03-23/debates/0903241000070/PrisonersMentallyIll",
        ),
        "note": "Data from 2005–06 (SPCR) and the 1997 ONS survey of psychiatric morbidity among prisoners.",
    },
    {
        "id": "guardian-2002-seu-summary",
        "kind": "literature",
        "title": "Guardian report of the Social Exclusion Unit’s Reducing re-offending by ex-prisoners "
        "(1 July 2002)",
        "year": 2002,
        "url": "https://www.theguardian.com/society/2002/jul/01/homeaffairs.politics",
        "citation": csl(
            "article-newspaper",
            "[Report on the Social Exclusion Unit’s ‘Reducing re-offending by ex-prisoners’]",
            2002,
            publisher="The Guardian",
            month=7,
            day=1,
            url="https://www.theguardian.com/society/2002/jul/01/homeaffairs.politics",
        ),
        "note": "Status partly: a newspaper summary of the Social Exclusion Unit report, not the report itself.",
    },
    # verified-figures item 8
    {
        "id": "seu-2002-reducing-reoffending",
        "kind": "literature",
        "title": "Reducing re-offending by ex-prisoners (summary report)",
        "year": 2002,
        "url": "https://www.scribd.com/document/480482210/reducing-summary",
        "citation": csl(
            "report",
            "Reducing re-offending by ex-prisoners",
            2002,
            authors=[{"literal": "Social Exclusion Unit"}],
            publisher="Social Exclusion Unit, Office of the Deputy Prime Minister",
            month=7,
            url="https://www.scribd.com/document/480482210/reducing-summary",
        ),
        "note": "Status partly: read in a mirror of the summary report (URL given).",
    },
    # verified-figures item 7
    {
        "id": "nicco-children-families-pathway",
        "kind": "literature",
        "title": "Reducing reoffending – children and families pathway (NICCO)",
        "year": 2004,
        "url": "https://nicco.org.uk/directory-of-resources/reducing-reoffending-children-and-families-pathway",
        "citation": csl(
            "webpage",
            "Reducing reoffending – children and families pathway",
            2004,
            authors=[{"literal": "National Information Centre on Children of Offenders (NICCO)"}],
            publisher="NICCO (Barnardo’s with HMPPS)",
            url="https://nicco.org.uk/directory-of-resources/reducing-reoffending-children-and-families-pathway",
            note="Describes the seven pathways of the National Reducing Re-offending Action Plan "
            "(published 19 July 2004); the year given is the plan’s, the page itself is undated.",
        ),
        "note": "Status partly: secondary description of the 2004 National Reducing Re-offending Action "
        "Plan’s seven pathways. Year = the plan’s year (2004); the NICCO page is undated.",
    },
    # verified-figures item 10
    {
        "id": "npc-2021-breaking-reoffending-cycles",
        "kind": "literature",
        "title": "Breaking reoffending cycles in the criminal justice system: Mapping causal factors, "
        "leverage points and funding flows",
        "year": 2021,
        "url": "https://www.thinknpc.org/resource-hub/breaking-reoffending-cycles-in-the-criminal-justice-system/",
        "citation": csl(
            "report",
            "Breaking reoffending cycles in the criminal justice system: Mapping causal "
            "factors, leverage points and funding flows",
            2021,
            authors=[
                {"family": "Clay", "given": "Theo"},
                {"family": "Reynolds", "given": "Seth"},
                {"family": "Rose", "given": "Abigail"},
            ],
            publisher="NPC (New Philanthropy Capital)",
            month=12,
            day=8,
            url="https://www.thinknpc.org/resource-hub/breaking-reoffending-cycles-in-the-criminal-justice-system/",
        ),
    },
    {
        "id": "npc-2025-funding-cj-voluntary-sector",
        "kind": "literature",
        "title": "Funding into the criminal justice voluntary sector",
        "year": 2025,
        "url": "https://www.thinknpc.org/resource-hub/funding-criminal-justice-voluntary-sector",
        "citation": csl(
            "report",
            "Funding into the criminal justice voluntary sector",
            2025,
            authors=[{"literal": "NPC (New Philanthropy Capital)"}],
            publisher="NPC (New Philanthropy Capital)",
            month=4,
            url="https://www.thinknpc.org/resource-hub/funding-criminal-justice-voluntary-sector",
        ),
    },
    # verified-figures item 11
    {
        "id": "rda-rebalancing-act",
        "kind": "literature",
        "title": "Rebalancing Act: A resource for Directors of Public Health, Police and Crime "
        "Commissioners and other health and justice commissioners, service providers and users",
        "year": 2017,
        "url": "https://revolving-doors.org.uk/rebalancing-act/",
        "citation": csl(
            "report",
            "Rebalancing Act: A resource for Directors of Public Health, Police and Crime "
            "Commissioners and other health and justice commissioners, service providers and users",
            2017,
            authors=[{"literal": "Revolving Doors Agency"}],
            publisher="Revolving Doors Agency",
            url="https://revolving-doors.org.uk/rebalancing-act/",
            note="With support from Public Health England and the Home Office. Also at "
            "https://www.basw.co.uk/resources/rebalancing-act",
        ),
        "note": "Status partly: wording confirmed, year not shown on the copies seen. 2017 is taken "
        "from Change Grow Live’s article of 14 February 2017 (seed 004), which discusses it as new.",
    },
    # verified-figures item 12
    {
        "id": "murray-farrington-2005-nicco-summary",
        "kind": "literature",
        "title": "Parental imprisonment: effects on boys’ antisocial behaviour and delinquency through "
        "the life-course (Murray & Farrington 2005), as summarised by NICCO",
        "year": 2005,
        "url": "https://nicco.org.uk/directory-of-research/parental-imprisonment-effects-on-boys-anti-social-behaviour-and-delinquency-through-the-life-course",
        "citation": csl(
            "article-journal",
            "Parental imprisonment: effects on boys’ antisocial behaviour and "
            "delinquency through the life-course",
            2005,
            authors=[
                {"family": "Murray", "given": "Joseph"},
                {"family": "Farrington", "given": "David P."},
            ],
            publisher="Wiley",
            url="https://nicco.org.uk/directory-of-research/parental-imprisonment-effects-on-boys-anti-social-behaviour-and-delinquency-through-the-life-course",
            DOI="10.1111/j.1469-7610.2005.01433.x",
            volume="46",
            issue="12",
            **{"container-title": "Journal of Child Psychology and Psychiatry"},
            note="The wording quoted is NICCO’s research summary of this article (URL); "
            "the abstract itself does not give the 65%.",
        ),
        "note": "Status partly. Cambridge Study in Delinquent Development: 411 Inner London boys born "
        "around 1953; the separated group is small. Not a current statistic.",
    },
    # verified-figures item 13
    {
        "id": "moj-2025-oms-apr-jun-2025",
        "kind": "statistic",
        "title": "Offender management statistics quarterly: April to June 2025",
        "year": 2025,
        "url": "https://www.gov.uk/government/statistics/offender-management-statistics-quarterly-april-to-june-2025/offender-management-statistics-quarterly-april-to-june-2025",
        "citation": csl(
            "report",
            "Offender management statistics quarterly: April to June 2025",
            2025,
            authors=MOJ,
            publisher="Ministry of Justice",
            month=10,
            day=30,
            url="https://www.gov.uk/government/statistics/offender-management-statistics-quarterly-april-to-june-2025/offender-management-statistics-quarterly-april-to-june-2025",
        ),
    },
    {
        "id": "moj-2024-recall-estimate-june-2024",
        "kind": "statistic",
        "title": "Estimate of the number and proportion of offenders on licence recalled to custody in June 2024",
        "year": 2024,
        "url": "https://gov.uk/government/publications/estimate-of-the-proportion-of-offenders-on-licence-recalled-in-june-2024/estimate-of-the-number-and-proportion-of-offenders-on-licence-recalled-to-custody-in-june-2024",
        "citation": csl(
            "report",
            "Estimate of the number and proportion of offenders on licence recalled to "
            "custody in June 2024",
            2024,
            authors=MOJ,
            publisher="Ministry of Justice",
            month=10,
            day=25,
            url="https://gov.uk/government/publications/estimate-of-the-proportion-of-offenders-on-licence-recalled-in-june-2024/estimate-of-the-number-and-proportion-of-offenders-on-licence-recalled-to-custody-in-june-2024",
            genre="Transparency data",
        ),
    },
]
SOURCE_KIND = {s["id"]: s["kind"] for s in SOURCES}

# --------------------------------------------------------------------------- seed quotes
# key: (file, source id, first words, last words). The quote is the seed text from the first
# words to the last words inclusive, copied exactly (curly quotes, ellipses and the source's own
# spelling "nobody every asks" included).

INT, ART, CGL = "npc-2021-interviews", "npc-2021-article", "cgl-2017-rebalancing-act"

QUOTES = {
    # NPC article: the authors' summary sentences (source npc-2021-article)
    "whole-person": (NPC_FILE, ART, "The people we spoke to emphasised", "interactions with them."),
    "holistic-view": (
        NPC_FILE,
        ART,
        "These approaches involve taking a holistic view",
        "in a collaborative way.",
    ),
    "stigmatising-language": (
        NPC_FILE,
        ART,
        "there were many examples of staff using judgemental",
        "the root causes that drive their reoffending.",
    ),
    "multiple-unmet-needs": (
        NPC_FILE,
        ART,
        "The people we spoke to highlighted how",
        "and domestic violence.",
    ),
    "not-root-causes": (
        NPC_FILE,
        ART,
        "Many felt that staff working across the system",
        "the tailored and holistic support that is needed.",
    ),
    "support-inadequate": (
        NPC_FILE,
        ART,
        "Where support does exist",
        "inadequate or inaccessible.",
    ),
    "mh-waiting-lists": (
        NPC_FILE,
        ART,
        "We heard that mental health provision in prisons",
        "particularly inaccessible for those on short sentences.",
    ),
    "short-sentences-worsen": (
        NPC_FILE,
        ART,
        "People who served short sentences highlighted",
        "the cycle of crime and crisis.",
    ),
    "children-support": (
        NPC_FILE,
        ART,
        "The lack of specific support for people with children",
        "disruptive for the rehabilitation process.",
    ),
    "children-pre-release": (
        NPC_FILE,
        ART,
        "For example, we heard that there are not always opportunities",
        "to rebuild relationships and routines.",
    ),
    "drug-environments": (
        NPC_FILE,
        ART,
        "We heard that people are often released into environments",
        "specific wishes and requests.",
    ),
    "released-no-accommodation": (
        NPC_FILE,
        ART,
        "We also heard examples of people being released without any support",
        "in order to get back into prison.",
    ),
    "prison-education": (
        NPC_FILE,
        ART,
        "Education and training opportunities within prisons",
        "training opportunities on release.",
    ),
    "education-scope": (
        NPC_FILE,
        ART,
        "There was also a sense that education opportunities are limited",
        "critical to supporting rehabilitation.",
    ),
    "third-sector-positive": (
        NPC_FILE,
        ART,
        "However, some people shared positive experiences",
        "provided by third sector organisations.",
    ),
    "clink": (
        NPC_FILE,
        ART,
        "One participant shared their positive experience",
        "on many different issues.",
    ),
    "anawim": (NPC_FILE, ART, "Similarly, Anawim was recognised", "support offering for women."),
    "trusting-relationships": (
        NPC_FILE,
        ART,
        "Positive, trusting, and respectful relationships",
        "critical to successful rehabilitation.",
    ),
    "negative-relationships": (
        NPC_FILE,
        ART,
        "However, many described how their relationships with prison",
        "influences on their rehabilitation process.",
    ),
    "racism-bullying": (
        NPC_FILE,
        ART,
        "Negative experiences included overt racism",
        "intimidating or bullying behaviour.",
    ),
    "punishment": (
        NPC_FILE,
        ART,
        "Others felt that some staff were focused more on punishment",
        "encouraging positive behaviour.",
    ),
    "threat-of-recall": (
        NPC_FILE,
        ART,
        "We heard that relationships with probation officers in particular",
        "barrier to honest communication and support.",
    ),
    "recall-rules": (
        NPC_FILE,
        ART,
        "Recall can occur if someone breaks the rules",
        "‘sentence plan’.",
    ),
    "struggle-rules": (
        NPC_FILE,
        ART,
        "We heard that people may struggle to meet these rules",
        "released into an unstable environment).",
    ),
    "unwilling-to-discuss": (
        NPC_FILE,
        ART,
        "Many felt unwilling to discuss issues openly",
        "signposting them to appropriate support.",
    ),
    "above-and-beyond": (
        NPC_FILE,
        ART,
        "We also heard about positive relationships with staff who went above",
        "minimum requirements expected of them.",
    ),
    "staff-examples": (
        NPC_FILE,
        ART,
        "Examples included proactively signposting",
        "with mutual respect at their core.",
    ),
    "agency": (
        NPC_FILE,
        ART,
        "Giving people agency to make their own decisions",
        "power imbalances in relationships with staff.",
    ),
    "peer-mentors": (
        NPC_FILE,
        ART,
        "We also heard that people with lived experience",
        "help people access the right support.",
    ),
    "beyond-bars": (
        NPC_FILE,
        ART,
        "Between 2018 and 2019, our Beyond Bars programme",
        "charities that work in the criminal justice system.",
    ),
    # Interviewees' own words (source npc-2021-interviews)
    "junkie": (
        NPC_FILE,
        INT,
        "So from the minute you walk through the door",
        "they don’t look any deeper than that really.",
    ),
    "drug-addiction-benefits": (
        NPC_FILE,
        INT,
        "Let’s say for argument’s sake",
        "so once again, cause and effect.",
    ),
    "self-referred": (NPC_FILE, INT, "I actually self-referred", "the week after I was released."),
    "women-no-help": (
        NPC_FILE,
        INT,
        "A lot of women go into prison",
        "so it wrecks their lives and then they are out again.",
    ),
    "more-rubbish": (
        NPC_FILE,
        INT,
        "Just with more rubbish than they had to start off with.",
        "It then becomes a vicious circle.",
    ),
    "nowhere-to-go": (
        NPC_FILE,
        INT,
        "There was a girl that I was in with",
        "I’ve got a bed, so why would I not?’.",
    ),
    "clink-support-worker": (
        NPC_FILE,
        INT,
        "The support worker would fit in about an hour a week",
        "anxiety tools and stuff like that",
    ),
    "clink-two-years": (
        NPC_FILE,
        INT,
        "once you are out of prison, you actually get that support",
        "so she was still there after release.",
    ),
    "safe-space": (
        NPC_FILE,
        INT,
        "It’s easier to talk about to another woman",
        "you feel safer isn’t it.",
    ),
    "tell-the-truth": (
        NPC_FILE,
        INT,
        "It’s a hell of a lot easier to open up",
        "could affect the support that they can give you.",
    ),
    "cant-talk-probation": (
        NPC_FILE,
        INT,
        "You can’t have conversations about the real things",
        "especially if you are high risk.",
    ),
    "mentor": (NPC_FILE, INT, "He was my mentor", "so he was like one of a kind."),
    # Change Grow Live's article (source cgl-2017-rebalancing-act)
    "wide-range": (
        CGL_FILE,
        CGL,
        "Rebalancing Act - a resource for crime commissioners",
        "a wide range of factors and circumstances.",
    ),
    "combination": (
        CGL_FILE,
        CGL,
        "It is often a combination of issues",
        "deliberate intention to cause harm.",
    ),
    "factors-lead-to-crime": (
        CGL_FILE,
        CGL,
        "These factors may include mental health issues",
        "but also prevent rehabilitation.",
    ),
    "65-percent-boys": (
        CGL_FILE,
        CGL,
        "Family history can also play a part",
        "commit crime themselves.",
    ),
    "root-cause": (
        CGL_FILE,
        CGL,
        "If the root cause of problems is not addressed",
        "the cycle of reoffending often continues.",
    ),
    "underserved": (
        CGL_FILE,
        CGL,
        "The link between poor health and offending",
        "underserved by community services and professionals.",
    ),
    "mistrust": (
        CGL_FILE,
        CGL,
        "This may be due in part to the mistrust",
        "negative experiences in the criminal justice system itself.",
    ),
    "less-likely-seek-help": (
        CGL_FILE,
        CGL,
        "The report emphasises the fact that people with complex problems",
        "less likely to seek help.",
    ),
    "appointments-stigma": (
        CGL_FILE,
        CGL,
        "They may find it difficult to adhere to appointments",
        "can cause further barriers.",
    ),
    "past-in-front": (
        CGL_FILE,
        CGL,
        "As one former offender recently commented",
        "“your past is always in front of you.”",
    ),
    "multiagency": (
        CGL_FILE,
        CGL,
        "Rebalancing Act recommends a multiagency approach",
        "tackling these problems.",
    ),
    "work-together": (
        CGL_FILE,
        CGL,
        "Police, support agencies, probation, commissioners",
        "needs of people in the criminal justice system.",
    ),
    "joined-up": (
        CGL_FILE,
        CGL,
        "This joined up approach will provide opportunities",
        "early intervention programmes.",
    ),
    "courts-community-options": (
        CGL_FILE,
        CGL,
        "The report also highlights the important role of the Courts",
        "imposing a custodial sentence.",
    ),
    "cgl-provider": (
        CGL_FILE,
        CGL,
        "CGL is one of the largest providers",
        "substance misuse drives their criminal activity.",
    ),
    "catalyst": (CGL_FILE, CGL, "We’ve seen how treatment can act", "catalyst for rehabilitation."),
    "drug-free": (
        CGL_FILE,
        CGL,
        "Although our in-house substance misuse programmes",
        "supported by services in the community.",
    ),
    "signpost": (
        CGL_FILE,
        CGL,
        "We help people to identify strengths and motivations",
        "such as benefits, employment and training.",
    ),
    "break-free": (
        CGL_FILE,
        CGL,
        "We know that these initiatives do work",
        "enable more people to break free from crime.",
    ),
}


def cut(file: str, first: str, last: str) -> tuple[str, int, int]:
    text = SEED_TEXT[file]
    start = text.find(first)
    if start < 0 or text.find(first, start + 1) >= 0:
        raise SystemExit(f"{file}: {first!r} must occur exactly once")
    stop = text.find(last, start)
    if stop < 0:
        raise SystemExit(f"{file}: {last!r} not found after {first!r}")
    end = stop + len(last)
    quote = text[start:end]
    assert "\n" not in quote, f"quote spans paragraphs: {first!r}"
    assert text.count(quote) == 1
    return quote, start, end


def quote(key: str, note: str = "") -> dict:
    file, source, first, last = QUOTES[key]
    text, start, end = cut(file, first, last)
    ev = {
        "source": source,
        "kind": "quote",
        "text": text,
        "span": {"start": start, "end": end},
        "locator": file,
        "year": 2021 if file == NPC_FILE else 2017,
        "status": "accepted",
        "coder": CODER,
    }
    if note:
        ev["note"] = note
    return ev


# --------------------------------------------------------------------------- publication evidence
# key: (source id, kind, verbatim text from verified-figures.md, year of the data or
# publication, note). Only items whose status there is "confirmed", or "partly" used with the
# wording actually seen and the caveat in the note.

FIGURES = {
    # item 1 (confirmed)
    "adult-rate": (
        "moj-2025-proven-reoffending-apr-jun-2023",
        "figure",
        "Adult offenders had a proven reoffending rate of 27.3%. This is an increase of 1.8 "
        "percentage points since the same quarter in 2022 and an increase of 1.0 percentage "
        "points over last quarter.",
        2023,
        "Cohort: April to June 2023, one-year follow-up.",
    ),
    "overall-rate": (
        "moj-2025-proven-reoffending-apr-jun-2023",
        "figure",
        "The overall proven reoffending rate was 27.5% for the April to June 2023 offender cohort.",
        2023,
        "",
    ),
    # item 2 (confirmed)
    "short-raw": (
        "moj-2025-proven-reoffending-apr-jun-2023",
        "figure",
        "Adults released from custodial sentences of less than 12 months had a proven reoffending "
        "rate of 59.2%. This is an increase of 3.2 percentage points from the same quarter in 2022.",
        2023,
        "Raw rate, not a like-for-like comparison: MoJ warns that rates by sentence type "
        "should not be used to judge the relative effectiveness of sentences. See the matched "
        "comparison (Eaton & Mews 2019) on the same link.",
    ),
    "eaton-mews": (
        "eaton-mews-2019-short-sentences",
        "finding",
        "Custodial sentences of under 12 months without supervision on release are associated "
        "with higher levels of reoffending",
        2019,
        "Matched comparison with community orders and suspended sentence orders. The excerpt seen "
        "(mirror) stopped at this point, so the rest of the sentence is not quoted.",
    ),
    "hamilton": (
        "hamilton-2021-sentencing-options",
        "finding",
        "Re-offending rates for offenders sentenced to short terms of immediate imprisonment were "
        "higher than rates for offenders sentenced to either a community order or a suspended "
        "sentence order. Re-offending rates for offenders sentenced to community orders are "
        "typically higher than those given suspended sentence orders.",
        2021,
        "Independent review of research for the Sentencing Academy.",
    ),
    # item 3 (confirmed)
    "cost-total": (
        "moj-2019-costs-of-reoffending",
        "figure",
        "The total estimated economic and social cost of reoffending was £18.1 billion.",
        2016,
        "2016 offender cohort, costs uplifted to 2017/18 prices; report published 2019.",
    ),
    "cost-adults": (
        "moj-2019-costs-of-reoffending",
        "figure",
        "The estimated economic and social cost of reoffending by adults was £16.7 billion.",
        2016,
        "2016 offender cohort, 2017/18 prices.",
    ),
    "cost-wq": (
        "moj-2022-wq-cost-of-reoffending",
        "figure",
        "The economic and social cost of reoffending in England and Wales is approximately £18 "
        "billion per year.",
        2022,
        "Ministry of Justice written answer, 14 March 2022.",
    ),
    # item 4 (confirmed; the MoJ written answer is official)
    "housed-first-night": (
        "moj-2025-accommodation-outcomes",
        "figure",
        "In the year to March 2025, 84.0% of offenders were housed on the night following "
        "release from custody (excluding cases out of scope or where the status was "
        "unknown). This is a decrease of 1.7 percentage points from 85.7% in the previous "
        "performance year.",
        2025,
        "“Housed” excludes shelters, emergency hostels, campsites, squatting or rough "
        "sleeping. [derived, not the source’s words] About 16% were not housed on the first night.",
    ),
    "hmip-released-homeless": (
        "hmip-2020-accommodation-thematic",
        "figure",
        "Ministry of Justice figures show 11,435 people were released from prison into "
        "homelessness in 2018-2019",
        2019,
        "",
    ),
    "hmip-recall": (
        "hmip-2020-accommodation-thematic",
        "figure",
        "63 per cent of those released into unsettled accommodation were recalled or resentenced "
        "to custody within a year, compared to 35 per cent who had settled accommodation",
        2020,
        "Follow-up sample of 116 people; an association, not a controlled comparison.",
    ),
    "hmip-reoffend": (
        "hmip-2020-accommodation-thematic",
        "figure",
        "65 per cent of those released into unsettled accommodation had reoffended, compared to "
        "44 per cent who had settled accommodation.",
        2020,
        "Follow-up sample of 116 people; an association, not a controlled comparison.",
    ),
    "spcr-homeless": (
        "moj-2018-wq-reoffenders-accommodation",
        "figure",
        "a 2012 study found those who were homeless or in temporary accommodation before prison "
        "were more likely to be reconvicted than those in stable accommodation (79% compared to 47%)",
        2012,
        "Surveying Prisoner Crime Reduction (SPCR) study, reported in an MoJ written answer (2018).",
    ),
    # item 5 (confirmed)
    "employed-6w": (
        "moj-2025-employment-outcomes",
        "figure",
        "From May 2024 to March 2025, 20.1% of offenders were employed at 6 weeks post release from "
        "custody (excluding those who are eligible for Probation Reset, unavailable for work, or "
        "those whose employment status is unknown).",
        2025,
        "Not comparable with earlier years because of a break in the series (Probation Reset).",
    ),
    "employed-6m": (
        "moj-2024-employment-outcomes",
        "figure",
        "In the year to March 2024, 31.1% of offenders were employed at 6 months post release from "
        "custody (excluding those who are unavailable for work, or those whose employment status is "
        "unknown). This is an increase of 5.2 percentage points from 25.9% in the 2022/23 performance year",
        2024,
        "",
    ),
    "p45": (
        "moj-2018-wq-employment-and-training",
        "figure",
        "Offenders who found P45 employment in the twelve months after release from prison had one year "
        "re-offending rates that were 6-9 percentage points lower than similar offenders who did not find "
        "employment.",
        2018,
        "Comparison with similar offenders (MoJ written answer, July 2018).",
    ),
    # item 6 (official Hansard answer; the Guardian summary is "partly")
    "spcr-anxiety": (
        "hansard-2009-prisoners-mentally-ill",
        "figure",
        "using a threshold of six symptoms, 34 per cent. of sentenced male prisoners and 56 per cent. "
        "of sentenced female prisoners were appreciably affected by anxiety/depression and other "
        "neurotic conditions.",
        2009,
        "Data from 2005–06 (SPCR) and the 1997 ONS survey; old figures.",
    ),
    "guardian-drugs": (
        "guardian-2002-seu-summary",
        "figure",
        "60-70% were using drugs before they were imprisoned",
        2002,
        "Status partly: the Guardian’s summary of the Social Exclusion Unit report (2002), "
        "not checked in the report itself.",
    ),
    "guardian-mh": (
        "guardian-2002-seu-summary",
        "figure",
        "more than 70% suffer from at least two mental disorders",
        2002,
        "Status partly: the Guardian’s summary of the Social Exclusion Unit report (2002), "
        "not checked in the report itself.",
    ),
    # item 7 (partly)
    "pathways": (
        "nicco-children-families-pathway",
        "finding",
        "In 2004, the National Offender Management Service (NOMS) set out seven pathways in their "
        "National Reducing Re-offending Action Plan… One of these pathways was Children and Families, "
        "along with Accommodation, Education, Training and Employment, Health, Drugs and Alcohol, "
        "Finance, Benefit and Debt, and Attitudes, Thinking and Behaviour.",
        2004,
        "Status partly: NICCO’s description of the 2004 action plan, not the plan itself. The "
        "pathways are the areas government set out to work on to reduce reoffending.",
    ),
    # item 8 (partly)
    "seu-58": (
        "seu-2002-reducing-reoffending",
        "figure",
        "Of those prisoners released in 1997, 58 per cent were convicted of another crime within two "
        "years. 36 per cent were back inside on another prison sentence.",
        1997,
        "Status partly: read in a mirror of the summary report (2002). Prisoners released in 1997.",
    ),
    # item 10 (confirmed)
    "npc-leverage": (
        "npc-2021-breaking-reoffending-cycles",
        "finding",
        "We've identified 20 'leverage points' where changes would reduce reoffending.",
        2021,
        "",
    ),
    "npc-86": (
        "npc-2021-breaking-reoffending-cycles",
        "figure",
        "The vast majority, 86% by our estimates, of funding for specialist criminal justice charities "
        "goes on community-based initiatives—patching up cracks in the system and supporting those it "
        "is letting down once they have served their sentence.",
        2021,
        "",
    ),
    "npc-upstream": (
        "npc-2021-breaking-reoffending-cycles",
        "finding",
        "Only a small minority of funding goes to 'upstream' initiatives",
        2021,
        "The sentence goes on to give the share for advocacy organisations; that part was cut off "
        "in the excerpt checked, so it is not quoted.",
    ),
    "npc-2025-statutory": (
        "npc-2025-funding-cj-voluntary-sector",
        "figure",
        "57% of the total income of our sampled criminal justice charities comes from statutory "
        "sources, compared to just 26% for the wider voluntary sector",
        2025,
        "",
    ),
    # item 11 (partly: wording confirmed, year not)
    "rda-2million": (
        "rda-rebalancing-act",
        "figure",
        "Nearly 2 million people a year in England have contact with police forces resulting in a "
        "record on the Police National Computer (PNC).",
        2017,
        "Status partly: wording confirmed; publication year not shown on the copies seen.",
    ),
    "rda-multiple": (
        "rda-rebalancing-act",
        "finding",
        "Among this population are many who experience significant issues with health problems "
        "(including physical and mental health and substance misuse) which are often complicated by "
        "social issues such as unemployment, indebtedness, homelessness or social isolation.",
        2017,
        "Status partly: wording confirmed; publication year not shown on the copies seen.",
    ),
    "rda-no-one-agency": (
        "rda-rebalancing-act",
        "finding",
        'We describe such people as having "multiple and complex needs" which means typically '
        "that no one agency or organisation working alone can address those needs.",
        2017,
        "Status partly: wording confirmed; publication year not shown on the copies seen.",
    ),
    "rda-links": (
        "rda-rebalancing-act",
        "finding",
        "Further, there are often strong links between such needs and offending/ reoffending behaviour "
        "- so reducing criminal behaviour and improving community safety can be an outcome of "
        "addressing these health and social care needs.",
        2017,
        "Status partly: wording confirmed; publication year not shown on the copies seen.",
    ),
    # item 12 (partly)
    "nicco-65": (
        "murray-farrington-2005-nicco-summary",
        "figure",
        "The study reports that of boys separated because of parental imprisonment, 65 percent were "
        "convicted themselves between ages 19 and 32, compared with 21 percent of boys with no history "
        "of parental imprisonment or separation.",
        2005,
        "Status partly: NICCO’s summary of Murray & Farrington (2005), Cambridge Study in Delinquent "
        "Development (London boys born around 1953, separated before age 10); the separated group is "
        "small. A historical finding, not a current statistic; “go on to offend” overstates it.",
    ),
    # item 13 (confirmed)
    "recalls-q": (
        "moj-2025-oms-apr-jun-2025",
        "figure",
        "11,041 licence recalls between April and June 2025 | This was a 13% increase on the same "
        "quarter in 2024.",
        2025,
        "",
    ),
    "recall-doubled": (
        "moj-2024-recall-estimate-june-2024",
        "figure",
        "the number of prisoners in custody on recall has more than doubled, from 5,260 on 30 "
        "June 2014 to 12,199 on 30 June 2024",
        2024,
        "",
    ),
}


def figure(key: str, note: str = "") -> dict:
    source, kind, text, year, default_note = FIGURES[key]
    ev = {
        "source": source,
        "kind": kind,
        "text": text,
        "year": year,
        "status": "accepted",
        "coder": CODER,
    }
    full_note = " ".join(part for part in (default_note, note) if part)
    if full_note:
        ev["note"] = full_note
    return ev


def ev(ref: str | tuple[str, str]) -> dict:
    """``"q:key"`` for a seed quote, ``"f:key"`` for a publication figure or finding; a
    ``(ref, note)`` pair adds a note."""
    note = ""
    if isinstance(ref, tuple):
        ref, note = ref
    prefix, key = ref.split(":", 1)
    return quote(key, note) if prefix == "q" else figure(key, note)


# --------------------------------------------------------------------------- themes, stages
THEMES = [
    ("housing", "Housing", "Accommodation before prison, on release and in the community."),
    ("mental-health", "Mental health", "Mental ill-health and access to mental health care."),
    ("substance-use", "Substance use", "Drug and alcohol use, treatment and relapse."),
    (
        "income-benefits-debt",
        "Income, benefits and debt",
        "Poverty, benefits, secure income and debt.",
    ),
    (
        "education-training-work",
        "Education, training and work",
        "Prison education, training and employment.",
    ),
    (
        "family-children",
        "Family and children",
        "Contact with children, family relationships, parental imprisonment.",
    ),
    (
        "relationships-power",
        "Relationships and power",
        "Relationships with prison and probation staff, peers and mentors; power and agency.",
    ),
    (
        "trauma-domestic-abuse",
        "Trauma and domestic abuse",
        "Trauma, domestic violence and safe, gender-specific support.",
    ),
    (
        "stigma-trust",
        "Stigma and trust",
        "Labelling, the stigma of a criminal past and mistrust of authority.",
    ),
    (
        "criminal-justice-practice",
        "Criminal justice practice",
        "Sentencing, recall, release and reoffending itself.",
    ),
    ("support-services", "Support services", "Capacity, access and coordination of support."),
    (
        "community-opportunity",
        "Community and opportunity",
        "Costs to society, community safety, funding and rehabilitation.",
    ),
]
STAGES = [
    (
        "before-and-at-court",
        "Before and at court",
        "Life before a sentence, arrest, court and sentencing.",
    ),
    ("in-prison", "In prison", "Time in custody."),
    ("release-and-transition", "Release and transition", "The days and weeks around release."),
    (
        "in-the-community",
        "In the community / on probation",
        "Life after release, on licence or on a community sentence.",
    ),
]

# --------------------------------------------------------------------------- factors
# (id, label, theme, stage, description)
FACTORS = [
    # criminal justice practice
    (
        "reoffending",
        "Reoffending",
        "criminal-justice-practice",
        "in-the-community",
        "The target outcome: further offences by people who have already been convicted or cautioned "
        "(measured as proven reoffending within a year).",
    ),
    (
        "short-custodial-sentences",
        "Use of short custodial sentences",
        "criminal-justice-practice",
        "before-and-at-court",
        "How often people are sent to prison for short terms (under 12 months), including repeated short spells.",
    ),
    (
        "community-sentences",
        "Use of community sentences instead of short custody",
        "criminal-justice-practice",
        "before-and-at-court",
        "How far courts use community-based options (with treatment where needed) as an alternative to a custodial sentence.",
    ),
    (
        "recall-to-prison",
        "Recalls to prison",
        "criminal-justice-practice",
        "in-the-community",
        "How often people released on licence are sent back to prison for breaking their licence conditions.",
    ),
    (
        "licence-breaches",
        "Breaches of licence and sentence-plan rules",
        "criminal-justice-practice",
        "in-the-community",
        "How often people fail to meet the rules of their licence or sentence plan.",
    ),
    (
        "offending-to-return-to-prison",
        "Offending on purpose to get back into prison",
        "criminal-justice-practice",
        "release-and-transition",
        "Crimes committed deliberately to return to prison, where there is a bed, food and company.",
    ),
    (
        "contact-with-police-and-courts",
        "Contact with police and courts",
        "criminal-justice-practice",
        "before-and-at-court",
        "How often a person comes into contact with police, courts and the wider criminal justice system.",
    ),
    (
        "prison-population",
        "Prison population",
        "criminal-justice-practice",
        "in-prison",
        "The number of people held in prison, including those recalled.",
    ),
    # housing
    (
        "homelessness-before-custody",
        "Homelessness before custody",
        "housing",
        "before-and-at-court",
        "Being homeless or in temporary accommodation before going to prison.",
    ),
    (
        "release-without-accommodation",
        "Release without accommodation",
        "housing",
        "release-and-transition",
        "How often people leave prison with nowhere settled to live.",
    ),
    (
        "housing-instability",
        "Housing instability in the community",
        "housing",
        "in-the-community",
        "Unsettled, temporary or unsafe housing after release.",
    ),
    (
        "help-finding-accommodation",
        "Help to find accommodation",
        "housing",
        "release-and-transition",
        "Support before and after release to find somewhere to live.",
    ),
    (
        "release-into-drug-environments",
        "Release into places where drugs and alcohol are easy to get",
        "housing",
        "release-and-transition",
        "Being released into environments such as some probation hostels where drugs and alcohol are easily available.",
    ),
    # mental health
    (
        "mental-ill-health",
        "Mental ill-health",
        "mental-health",
        "in-the-community",
        "Mental health problems such as anxiety and depression.",
    ),
    (
        "prison-mental-health-waiting-lists",
        "Waiting lists for prison mental health care",
        "mental-health",
        "in-prison",
        "How long people wait for the prison mental health team.",
    ),
    (
        "access-to-prison-mental-health-care",
        "Access to mental health care in prison",
        "mental-health",
        "in-prison",
        "Whether people in prison actually get mental health support, such as counselling, while they are there.",
    ),
    (
        "anxiety-coping-skills",
        "Tools to manage anxiety",
        "mental-health",
        "release-and-transition",
        "Practical skills and tools for coping with anxiety.",
    ),
    (
        "access-to-community-healthcare",
        "Access to healthcare in the community",
        "mental-health",
        "in-the-community",
        "Access to health care, including mental health and early intervention programmes.",
    ),
    # substance use
    (
        "substance-dependency",
        "Drug and alcohol dependency",
        "substance-use",
        "in-the-community",
        "Problematic drug or alcohol use, including relapse after release.",
    ),
    (
        "drug-money-gap",
        "Money needed for drugs beyond income",
        "substance-use",
        "in-the-community",
        "The gap between what an addiction costs and what benefits or other income cover.",
    ),
    (
        "acquisitive-crime",
        "Acquisitive crime to fund drug use",
        "substance-use",
        "in-the-community",
        "Theft and other crime committed to pay for drugs.",
    ),
    (
        "prison-substance-treatment",
        "Substance misuse help in prison",
        "substance-use",
        "in-prison",
        "Access to substance misuse treatment and counselling during a sentence.",
    ),
    (
        "community-drug-alcohol-treatment",
        "Drug and alcohol treatment in the community",
        "substance-use",
        "in-the-community",
        "Access to drug and alcohol treatment and recovery support in the community.",
    ),
    # income, benefits and debt
    (
        "poverty",
        "Poverty",
        "income-benefits-debt",
        "in-the-community",
        "Lack of money to meet basic needs.",
    ),
    (
        "secure-income",
        "Access to a secure income",
        "income-benefits-debt",
        "in-the-community",
        "A reliable income, from work or benefits.",
    ),
    (
        "benefit-adequacy",
        "Adequacy of benefit income",
        "income-benefits-debt",
        "in-the-community",
        "How far benefits cover a person’s actual costs.",
    ),
    (
        "debt",
        "Debt",
        "income-benefits-debt",
        "in-the-community",
        "Money owed, and problems managing it.",
    ),
    (
        "help-with-benefits-and-debt",
        "Help with benefits, money and debt",
        "income-benefits-debt",
        "release-and-transition",
        "Practical help to claim benefits, manage money and deal with debts.",
    ),
    # education, training and work
    (
        "prison-education-quality",
        "Quality and coordination of prison education",
        "education-training-work",
        "in-prison",
        "How good and how well coordinated education and training in prison are.",
    ),
    (
        "prison-course-level",
        "Level and range of prison courses",
        "education-training-work",
        "in-prison",
        "Whether prison courses go beyond Level Two qualifications.",
    ),
    (
        "ambition",
        "Ambition and hope for the future",
        "education-training-work",
        "in-the-community",
        "People’s ambitions and sense of what they can achieve.",
    ),
    (
        "employment-after-release",
        "Employment after release",
        "education-training-work",
        "in-the-community",
        "Being in work after leaving prison.",
    ),
    (
        "job-search-support",
        "Help to look for work",
        "education-training-work",
        "release-and-transition",
        "Support to search and apply for jobs, in prison and after release.",
    ),
    (
        "education-training-opportunities",
        "Education, training and volunteering opportunities on release",
        "education-training-work",
        "release-and-transition",
        "Access to education, training and volunteering after release.",
    ),
    # family and children
    (
        "support-for-parents-in-prison",
        "Specific support for people with children",
        "family-children",
        "in-prison",
        "Support in prison for parents, including help to keep contact with their children.",
    ),
    (
        "contact-with-children-in-custody",
        "Contact with children during a sentence",
        "family-children",
        "in-prison",
        "How much contact a parent in prison has with their children.",
    ),
    (
        "pre-release-family-contact",
        "Meetings with children before release",
        "family-children",
        "in-prison",
        "Opportunities to meet children before release so families can start to rebuild routines.",
    ),
    (
        "family-relationships",
        "Strength of family relationships and routines",
        "family-children",
        "release-and-transition",
        "How strong a family’s relationships and routines are around the time of release.",
    ),
    (
        "readjustment-difficulty",
        "Difficulty readjusting after release",
        "family-children",
        "release-and-transition",
        "How hard it is to settle back into family and everyday life after release.",
    ),
    (
        "parental-imprisonment",
        "Children experiencing a parent’s imprisonment",
        "family-children",
        "in-prison",
        "Children separated from a parent because the parent is imprisoned.",
    ),
    (
        "childrens-later-offending",
        "Children’s later offending",
        "family-children",
        "in-the-community",
        "Offending by children of people in prison, later in their lives.",
    ),
    # relationships and power
    (
        "threat-of-recall",
        "Perceived threat of recall",
        "relationships-power",
        "in-the-community",
        "How strongly people on licence feel that any problem they admit could send them back to prison.",
    ),
    (
        "staff-understanding-of-root-causes",
        "Staff understanding of root causes",
        "relationships-power",
        "in-the-community",
        "Whether staff look beyond behaviour to the needs that drive it.",
    ),
    (
        "staff-racism-and-bullying",
        "Racism, intimidation and bullying by staff",
        "relationships-power",
        "in-prison",
        "Overt racism and intimidating or bullying behaviour from prison and probation staff.",
    ),
    (
        "punitive-staff-culture",
        "Staff focus on punishment",
        "relationships-power",
        "in-prison",
        "Staff focusing on punishment rather than encouraging positive behaviour.",
    ),
    (
        "trusting-staff-relationships",
        "Trusting relationships with prison and probation staff",
        "relationships-power",
        "in-the-community",
        "Positive, trusting and respectful relationships between people and staff.",
    ),
    (
        "honest-disclosure",
        "Honest disclosure of needs to staff",
        "relationships-power",
        "in-the-community",
        "Whether people feel able to talk openly about what is really affecting them.",
    ),
    (
        "staff-going-beyond-minimum",
        "Staff who go above and beyond",
        "relationships-power",
        "in-the-community",
        "Staff who signpost proactively, broker opportunities, offer flexible appointments and build trust.",
    ),
    (
        "appointment-flexibility",
        "Flexibility of appointments",
        "support-services",
        "in-the-community",
        "Appointments arranged around people’s lives rather than rigid times and office hours.",
    ),
    (
        "personal-agency",
        "Agency over one’s own decisions",
        "relationships-power",
        "in-the-community",
        "How far people are given agency to make their own decisions.",
    ),
    (
        "power-imbalance",
        "Power imbalance with staff",
        "relationships-power",
        "in-the-community",
        "The imbalance of power between staff and people in the system.",
    ),
    (
        "peer-mentoring",
        "Peer mentoring by people with lived experience",
        "relationships-power",
        "in-the-community",
        "Mentors who have themselves been through the criminal justice system.",
    ),
    (
        "self-confidence",
        "Self-confidence",
        "relationships-power",
        "in-the-community",
        "Belief in oneself and that others will help.",
    ),
    # trauma and domestic abuse
    (
        "trauma",
        "Trauma",
        "trauma-domestic-abuse",
        "before-and-at-court",
        "Past traumatic experience.",
    ),
    (
        "domestic-violence",
        "Domestic violence",
        "trauma-domestic-abuse",
        "in-the-community",
        "Experience of domestic violence and abuse.",
    ),
    (
        "gender-specific-support",
        "Gender-specific support for women",
        "trauma-domestic-abuse",
        "in-the-community",
        "Women-only services, such as Anawim’s, offering a safe space.",
    ),
    (
        "feeling-safe-to-talk",
        "Feeling safe to talk",
        "trauma-domestic-abuse",
        "in-the-community",
        "Whether a person feels safe enough to open up.",
    ),
    # stigma and trust
    (
        "stigmatising-language",
        "Judgemental and stigmatising language from staff",
        "stigma-trust",
        "before-and-at-court",
        "Labelling people (for example as a “junkie”) instead of understanding them.",
    ),
    (
        "criminal-past-stigma",
        "Stigma of a criminal past",
        "stigma-trust",
        "in-the-community",
        "How much a person’s past and record follow them and count against them.",
    ),
    (
        "mistrust-of-authority",
        "Mistrust of authority figures",
        "stigma-trust",
        "in-the-community",
        "Distrust of police, probation, services and professionals.",
    ),
    (
        "negative-experiences-of-cjs",
        "Negative experiences of the criminal justice system",
        "stigma-trust",
        "in-the-community",
        "Bad experiences of staff and institutions in the criminal justice system.",
    ),
    # support services
    (
        "multiple-unmet-needs",
        "Multiple unmet needs",
        "support-services",
        "in-the-community",
        "The number of a person’s needs (housing, health, substance use, income, safety) that nobody is meeting.",
    ),
    (
        "tailored-holistic-support",
        "Tailored, whole-person support",
        "support-services",
        "in-the-community",
        "Support that looks at the whole person and builds on their strengths.",
    ),
    (
        "access-to-support",
        "Access to the right support",
        "support-services",
        "in-the-community",
        "Whether people reach the support that fits their needs.",
    ),
    (
        "help-seeking",
        "Help-seeking",
        "support-services",
        "in-the-community",
        "How readily people with complex problems ask for help.",
    ),
    (
        "engagement-with-community-services",
        "Engagement with community services",
        "support-services",
        "in-the-community",
        "How well community services and professionals reach and serve people in contact "
        "with the criminal justice system.",
    ),
    (
        "crisis",
        "Health and social crisis",
        "support-services",
        "in-the-community",
        "Problems left unaddressed until they become a crisis.",
    ),
    (
        "third-sector-holistic-support",
        "Holistic third-sector support in and after prison",
        "support-services",
        "release-and-transition",
        "Support workers from charities (such as The Clink Charity) who help with many issues in prison and after release.",
    ),
    (
        "signposting-to-support",
        "Signposting to relevant support",
        "support-services",
        "in-the-community",
        "Pointing people to the services and organisations that can help them.",
    ),
    (
        "multi-agency-working",
        "Multi-agency, joined-up working",
        "support-services",
        "in-the-community",
        "Police, support agencies, probation, commissioners and communities working together.",
    ),
    (
        "lived-experience-in-service-design",
        "Learning from lived experience in service design",
        "support-services",
        "in-the-community",
        "Services designed and co-created with people who have been through the system.",
    ),
    # community and opportunity
    (
        "rehabilitation-progress",
        "Progress in rehabilitation",
        "community-opportunity",
        "in-the-community",
        "How far a person moves towards a settled life without crime.",
    ),
    (
        "economic-social-cost",
        "Economic and social cost of reoffending",
        "community-opportunity",
        "in-the-community",
        "The cost of reoffending to victims, public services and society.",
    ),
    (
        "community-safety",
        "Community safety",
        "community-opportunity",
        "in-the-community",
        "How safe communities are from crime.",
    ),
    (
        "charity-funding-for-community-support",
        "Funding for community-based charity support",
        "community-opportunity",
        "in-the-community",
        "Money for specialist criminal justice charities’ community-based work.",
    ),
]

# factor evidence (prevalence and context figures) and indicators
FACTOR_EVIDENCE = {
    "reoffending": ["f:adult-rate", "f:overall-rate", "f:seu-58"],
    "release-without-accommodation": ["f:hmip-released-homeless", "f:housed-first-night"],
    "employment-after-release": ["f:employed-6w", "f:employed-6m"],
    "mental-ill-health": ["f:spcr-anxiety", "f:guardian-mh"],
    "substance-dependency": ["f:guardian-drugs"],
    "recall-to-prison": ["f:recalls-q"],
    "prison-population": ["f:recall-doubled"],
    "economic-social-cost": ["f:cost-total", "f:cost-adults", "f:cost-wq"],
    "charity-funding-for-community-support": ["f:npc-86", "f:npc-upstream", "f:npc-2025-statutory"],
    "multiple-unmet-needs": ["f:rda-multiple", "f:rda-2million"],
    "short-custodial-sentences": ["f:short-raw"],
}
INDICATORS = {
    "reoffending": {
        "text": "Adult one-year proven reoffending rate, April to June 2023 cohort",
        "value": 27.3,
        "unit": "%",
        "year": 2023,
        "source": "moj-2025-proven-reoffending-apr-jun-2023",
    },
    "release-without-accommodation": {
        "text": "Share housed on the night following release from custody, year to March 2025",
        "value": 84.0,
        "unit": "%",
        "year": 2025,
        "source": "moj-2025-accommodation-outcomes",
    },
    "employment-after-release": {
        "text": "Share employed 6 weeks after release from custody, May 2024 to March 2025",
        "value": 20.1,
        "unit": "%",
        "year": 2025,
        "source": "moj-2025-employment-outcomes",
    },
    "recall-to-prison": {
        "text": "Licence recalls, April to June 2025",
        "value": 11041,
        "unit": "recalls",
        "year": 2025,
        "source": "moj-2025-oms-apr-jun-2025",
    },
    "prison-population": {
        "text": "Prisoners in custody on recall, 30 June 2024",
        "value": 12199,
        "unit": "people",
        "year": 2024,
        "source": "moj-2024-recall-estimate-june-2024",
    },
    "economic-social-cost": {
        "text": "Total estimated economic and social cost of reoffending (2016 cohort, "
        "2017/18 prices)",
        "value": 18.1,
        "unit": "£ billion",
        "year": 2016,
        "source": "moj-2019-costs-of-reoffending",
    },
}

# --------------------------------------------------------------------------- links
# (from, to, polarity, strength, delay, mechanism, evidence refs)
W, M, S = "weak", "medium", "strong"
C3_NOTE = "CGL lists these factors as ones that “lead to crime” and “prevent rehabilitation”."
A2_NOTE = "Interviewees named this among the multiple unmet needs driving their reoffending."

LINKS = [
    # ---- loop 1: short sentences -> unmet needs -> reoffending -> short sentences
    (
        "short-custodial-sentences",
        "multiple-unmet-needs",
        "+",
        S,
        False,
        "A short spell in prison disrupts life without time to get help, so people come out with more problems than they went in with.",
        ["q:short-sentences-worsen", "q:women-no-help", "q:more-rubbish"],
    ),
    (
        "multiple-unmet-needs",
        "reoffending",
        "+",
        S,
        False,
        "When needs such as housing, income, health and substance use go unmet, they drive crime and keep the cycle of reoffending going.",
        ["q:multiple-unmet-needs", "q:root-cause", "q:combination", "q:wide-range", "f:rda-links"],
    ),
    (
        "reoffending",
        "short-custodial-sentences",
        "+",
        S,
        False,
        "Further offences lead back to court and, often, to another short prison sentence.",
        ["q:nowhere-to-go", "q:women-no-help", "f:seu-58"],
    ),
    (
        "short-custodial-sentences",
        "reoffending",
        "+",
        M,
        False,
        "Short prison terms, with little supervision after release, are followed by higher reoffending than comparable community sentences.",
        ["f:eaton-mews", "f:hamilton", "f:short-raw", "q:short-sentences-worsen"],
    ),
    # ---- loop 2: release homeless -> offending to return -> prison -> release homeless
    (
        "release-without-accommodation",
        "offending-to-return-to-prison",
        "+",
        M,
        False,
        "With nowhere to live, prison (a bed, meals, warmth, friends) can seem better than the street, so some offend to go back.",
        ["q:released-no-accommodation", "q:nowhere-to-go"],
    ),
    (
        "offending-to-return-to-prison",
        "short-custodial-sentences",
        "+",
        M,
        False,
        "Offending to get back in leads to repeated short prison spells.",
        ["q:nowhere-to-go", "q:released-no-accommodation"],
    ),
    (
        "short-custodial-sentences",
        "release-without-accommodation",
        "+",
        M,
        False,
        "Each spell in prison ends with release, and for people without a home it is release with nowhere to go.",
        [
            "q:nowhere-to-go",
            ("f:hmip-released-homeless", "Shows the scale of release into homelessness."),
        ],
    ),
    (
        "offending-to-return-to-prison",
        "reoffending",
        "+",
        S,
        False,
        "Offences committed to get back into prison are themselves reoffending.",
        ["q:released-no-accommodation"],
    ),
    # ---- housing
    (
        "release-without-accommodation",
        "reoffending",
        "+",
        S,
        False,
        "People released into unsettled accommodation reoffend more than those with settled housing.",
        ["f:hmip-reoffend", "q:factors-lead-to-crime"],
    ),
    (
        "release-without-accommodation",
        "recall-to-prison",
        "+",
        M,
        False,
        "Without settled housing people struggle to keep licence conditions and are more often recalled or resentenced.",
        ["f:hmip-recall", "q:struggle-rules"],
    ),
    (
        "release-without-accommodation",
        "housing-instability",
        "+",
        S,
        False,
        "Starting life outside without a home means unstable housing in the weeks that follow.",
        ["q:struggle-rules"],
    ),
    (
        "help-finding-accommodation",
        "release-without-accommodation",
        "-",
        M,
        False,
        "Support to find accommodation before release means fewer people leave prison with nowhere to go.",
        ["q:released-no-accommodation", "q:clink-support-worker"],
    ),
    (
        "homelessness-before-custody",
        "reoffending",
        "+",
        M,
        False,
        "People who were homeless or in temporary accommodation before prison are more likely to be reconvicted.",
        ["f:spcr-homeless"],
    ),
    (
        "housing-instability",
        "licence-breaches",
        "+",
        M,
        False,
        "Being homeless or in an unstable environment makes it hard to meet the rules of a licence or sentence plan.",
        ["q:struggle-rules"],
    ),
    (
        "housing-instability",
        "multiple-unmet-needs",
        "+",
        M,
        False,
        "Homelessness is one of the unmet needs that drive reoffending.",
        [("q:multiple-unmet-needs", A2_NOTE), "q:holistic-view"],
    ),
    (
        "housing-instability",
        "reoffending",
        "+",
        M,
        False,
        "Homelessness is among the issues that lead to crime.",
        [
            ("q:factors-lead-to-crime", C3_NOTE),
            ("f:pathways", "Accommodation is one of the seven pathways."),
        ],
    ),
    (
        "housing-instability",
        "rehabilitation-progress",
        "-",
        M,
        False,
        "Homelessness gets in the way of rehabilitation.",
        [("q:factors-lead-to-crime", C3_NOTE)],
    ),
    (
        "release-into-drug-environments",
        "substance-dependency",
        "+",
        M,
        False,
        "Being released where drugs and alcohol are easy to get makes relapse more likely.",
        ["q:drug-environments"],
    ),
    (
        "personal-agency",
        "release-into-drug-environments",
        "-",
        W,
        False,
        "When people’s wishes and requests about where they go are ignored, they can be placed where drugs are easy to get.",
        ["q:drug-environments", "q:agency"],
    ),
    # ---- loop 3: recall
    (
        "threat-of-recall",
        "honest-disclosure",
        "-",
        S,
        False,
        "Fear that admitting a problem will mean immediate recall stops people talking openly to probation.",
        ["q:threat-of-recall", "q:unwilling-to-discuss", "q:cant-talk-probation"],
    ),
    (
        "honest-disclosure",
        "multiple-unmet-needs",
        "-",
        M,
        False,
        "When people cannot say what is really affecting them, staff cannot signpost them to help, so needs stay unmet.",
        ["q:unwilling-to-discuss", "q:cant-talk-probation", "q:tell-the-truth"],
    ),
    (
        "multiple-unmet-needs",
        "licence-breaches",
        "+",
        M,
        False,
        "The circumstances people are released into make it hard to keep to the rules of their sentence plan.",
        ["q:struggle-rules"],
    ),
    (
        "licence-breaches",
        "recall-to-prison",
        "+",
        S,
        False,
        "Breaking the rules of a sentence plan can lead to recall.",
        ["q:recall-rules", "f:recalls-q"],
    ),
    (
        "recall-to-prison",
        "threat-of-recall",
        "+",
        M,
        False,
        "The more readily recall is used, the more people on licence experience it as a constant threat.",
        ["q:cant-talk-probation", "q:threat-of-recall", "f:recalls-q"],
    ),
    (
        "threat-of-recall",
        "trusting-staff-relationships",
        "-",
        S,
        False,
        "The constant threat of recall damages relationships with probation officers.",
        ["q:threat-of-recall"],
    ),
    (
        "recall-to-prison",
        "prison-population",
        "+",
        M,
        False,
        "Every recall adds a person to the prison population; the number held on recall has more than doubled in ten years.",
        ["f:recall-doubled"],
    ),
    # ---- loop 4: drugs
    (
        "substance-dependency",
        "drug-money-gap",
        "+",
        S,
        False,
        "An addiction costs more than benefits pay.",
        ["q:drug-addiction-benefits"],
    ),
    (
        "benefit-adequacy",
        "drug-money-gap",
        "-",
        W,
        False,
        "The less benefits cover, the bigger the gap between income and the cost of drugs.",
        ["q:drug-addiction-benefits"],
    ),
    (
        "drug-money-gap",
        "acquisitive-crime",
        "+",
        S,
        False,
        "When benefits do not pay for an addiction, people turn to crime to pay for it.",
        ["q:drug-addiction-benefits"],
    ),
    (
        "acquisitive-crime",
        "reoffending",
        "+",
        S,
        False,
        "Crime to fund drugs is a large part of repeat offending.",
        ["q:drug-addiction-benefits", "q:cgl-provider"],
    ),
    (
        "short-custodial-sentences",
        "prison-substance-treatment",
        "-",
        M,
        False,
        "Short sentences leave no time to get substance misuse help in prison.",
        ["q:women-no-help", "q:mh-waiting-lists"],
    ),
    (
        "prison-substance-treatment",
        "substance-dependency",
        "-",
        M,
        False,
        "Substance misuse programmes in prison enable people to leave drug free.",
        ["q:drug-free", "q:catalyst"],
    ),
    (
        "substance-dependency",
        "reoffending",
        "+",
        S,
        False,
        "Substance misuse drives criminal activity.",
        [
            "q:cgl-provider",
            ("q:factors-lead-to-crime", C3_NOTE),
            ("q:multiple-unmet-needs", A2_NOTE),
        ],
    ),
    (
        "substance-dependency",
        "multiple-unmet-needs",
        "+",
        M,
        False,
        "Substance use is one of the unmet needs behind reoffending.",
        [("q:multiple-unmet-needs", A2_NOTE), "f:rda-multiple"],
    ),
    (
        "substance-dependency",
        "rehabilitation-progress",
        "-",
        M,
        False,
        "Substance misuse prevents rehabilitation.",
        [("q:factors-lead-to-crime", C3_NOTE)],
    ),
    (
        "community-drug-alcohol-treatment",
        "substance-dependency",
        "-",
        M,
        False,
        "Treatment and recovery work in the community reduce drug and alcohol dependency.",
        ["q:signpost", "q:catalyst"],
    ),
    (
        "substance-dependency",
        "community-drug-alcohol-treatment",
        "+",
        W,
        False,
        "People whose substance misuse drives their offending are the ones drug and alcohol programmes are offered to.",
        [
            (
                "q:cgl-provider",
                "A balancing effect only where treatment is reachable; see the help-seeking links.",
            )
        ],
    ),
    (
        "community-drug-alcohol-treatment",
        "rehabilitation-progress",
        "+",
        M,
        False,
        "Treatment can act as a catalyst for rehabilitation.",
        ["q:catalyst"],
    ),
    (
        "prison-substance-treatment",
        "rehabilitation-progress",
        "+",
        W,
        False,
        "Treatment in prison can start rehabilitation.",
        ["q:catalyst", "q:drug-free"],
    ),
    (
        "community-sentences",
        "community-drug-alcohol-treatment",
        "+",
        M,
        False,
        "Serving a sentence in the community keeps people in contact with community treatment services.",
        ["q:drug-free", "q:courts-community-options"],
    ),
    (
        "community-sentences",
        "short-custodial-sentences",
        "-",
        S,
        False,
        "Community-based options are used as an alternative to a custodial sentence.",
        ["q:courts-community-options"],
    ),
    (
        "community-sentences",
        "reoffending",
        "-",
        M,
        False,
        "People given community or suspended sentences reoffend less than comparable people given short prison terms.",
        ["f:hamilton", "f:eaton-mews"],
    ),
    (
        "community-drug-alcohol-treatment",
        "signposting-to-support",
        "+",
        M,
        False,
        "Treatment services signpost people to partners who help with benefits, employment and training.",
        ["q:signpost"],
    ),
    # ---- mental health
    (
        "prison-mental-health-waiting-lists",
        "access-to-prison-mental-health-care",
        "-",
        S,
        False,
        "Long waiting lists make prison mental health care hard to reach.",
        ["q:mh-waiting-lists", "q:self-referred"],
    ),
    (
        "short-custodial-sentences",
        "access-to-prison-mental-health-care",
        "-",
        S,
        False,
        "People on short sentences are released before their turn comes.",
        ["q:mh-waiting-lists", "q:self-referred"],
    ),
    (
        "access-to-prison-mental-health-care",
        "mental-ill-health",
        "-",
        M,
        False,
        "Without counselling or mental health help in prison, people come out in a worse state.",
        ["q:women-no-help", "q:support-inadequate"],
    ),
    (
        "mental-ill-health",
        "reoffending",
        "+",
        M,
        False,
        "Mental health issues are among the factors that lead to crime; addressing health needs can reduce it.",
        [
            ("q:factors-lead-to-crime", C3_NOTE),
            "f:rda-links",
            ("f:pathways", "Health is one of the seven pathways."),
        ],
    ),
    (
        "mental-ill-health",
        "rehabilitation-progress",
        "-",
        M,
        False,
        "Mental health issues prevent rehabilitation.",
        [("q:factors-lead-to-crime", C3_NOTE)],
    ),
    (
        "mental-ill-health",
        "multiple-unmet-needs",
        "+",
        M,
        False,
        "Mental health needs are part of the set of needs a whole-person approach has to see.",
        ["q:holistic-view", "f:rda-multiple"],
    ),
    (
        "mental-ill-health",
        "help-seeking",
        "-",
        M,
        False,
        "People with complex problems, including poor mental health, are less likely to seek help.",
        ["q:less-likely-seek-help"],
    ),
    (
        "anxiety-coping-skills",
        "mental-ill-health",
        "-",
        W,
        False,
        "Tools for managing anxiety help people cope.",
        ["q:clink-support-worker"],
    ),
    (
        "access-to-community-healthcare",
        "multiple-unmet-needs",
        "-",
        M,
        False,
        "Greater access to healthcare addresses health needs that drive offending.",
        ["f:rda-links", "q:joined-up"],
    ),
    (
        "access-to-community-healthcare",
        "reoffending",
        "-",
        M,
        False,
        "Addressing health and social care needs can reduce offending and reoffending.",
        ["f:rda-links", "q:joined-up"],
    ),
    # ---- income, benefits and debt
    (
        "poverty",
        "multiple-unmet-needs",
        "+",
        M,
        False,
        "Poverty is one of the unmet needs driving reoffending.",
        [("q:multiple-unmet-needs", A2_NOTE)],
    ),
    (
        "poverty",
        "reoffending",
        "+",
        M,
        False,
        "Poverty is among the issues that lead to crime.",
        [("q:factors-lead-to-crime", C3_NOTE), ("q:multiple-unmet-needs", A2_NOTE)],
    ),
    (
        "poverty",
        "rehabilitation-progress",
        "-",
        M,
        False,
        "Poverty prevents rehabilitation.",
        [("q:factors-lead-to-crime", C3_NOTE)],
    ),
    (
        "secure-income",
        "multiple-unmet-needs",
        "-",
        M,
        False,
        "A lack of access to a secure income is one of the unmet needs driving reoffending.",
        [("q:multiple-unmet-needs", A2_NOTE)],
    ),
    (
        "secure-income",
        "reoffending",
        "-",
        M,
        False,
        "Without a secure income people are more likely to reoffend.",
        [
            ("q:multiple-unmet-needs", A2_NOTE),
            ("f:pathways", "Finance, benefit and debt is one of the seven pathways."),
        ],
    ),
    (
        "debt",
        "multiple-unmet-needs",
        "+",
        W,
        False,
        "Debts are among the things people need help with after prison.",
        ["q:clink-support-worker", "f:rda-multiple"],
    ),
    (
        "help-with-benefits-and-debt",
        "debt",
        "-",
        W,
        False,
        "Help with money and debts reduces debt problems.",
        ["q:clink-support-worker"],
    ),
    (
        "help-with-benefits-and-debt",
        "secure-income",
        "+",
        W,
        False,
        "Help to sort out benefits gives a steadier income after release.",
        ["q:clink-support-worker", "q:signpost"],
    ),
    (
        "employment-after-release",
        "poverty",
        "-",
        M,
        False,
        "Work brings income; unemployment and poverty go together among the factors that lead to crime.",
        [
            (
                "q:factors-lead-to-crime",
                C3_NOTE + " That work is a source of income is taken as given.",
            )
        ],
    ),
    # ---- education, training and work
    (
        "prison-education-quality",
        "employment-after-release",
        "+",
        M,
        False,
        "Poor, poorly coordinated prison education makes it hard to get a job on release.",
        [
            "q:prison-education",
            ("f:pathways", "Education, training and employment is one of the seven pathways."),
        ],
    ),
    (
        "prison-education-quality",
        "education-training-opportunities",
        "+",
        M,
        False,
        "Good prison education opens the way to further education and training on release.",
        ["q:prison-education"],
    ),
    (
        "prison-course-level",
        "ambition",
        "+",
        M,
        False,
        "Courses capped at Level Two limit people’s ambitions.",
        ["q:education-scope"],
    ),
    (
        "prison-course-level",
        "education-training-opportunities",
        "+",
        M,
        False,
        "Courses capped at Level Two limit later opportunities.",
        ["q:education-scope"],
    ),
    (
        "ambition",
        "rehabilitation-progress",
        "+",
        M,
        False,
        "Ambitions and opportunities are critical to supporting rehabilitation.",
        ["q:education-scope"],
    ),
    (
        "education-training-opportunities",
        "rehabilitation-progress",
        "+",
        M,
        False,
        "Education and training opportunities support rehabilitation.",
        ["q:education-scope", "q:staff-examples"],
    ),
    (
        "job-search-support",
        "employment-after-release",
        "+",
        M,
        False,
        "Help to look for a job makes finding work after release more likely.",
        ["q:clink-support-worker", "q:signpost"],
    ),
    (
        "employment-after-release",
        "reoffending",
        "-",
        S,
        False,
        "People who find work after prison reoffend less than similar people who do not.",
        ["f:p45", ("q:factors-lead-to-crime", C3_NOTE + " Here: unemployment.")],
    ),
    (
        "employment-after-release",
        "rehabilitation-progress",
        "+",
        M,
        False,
        "Unemployment prevents rehabilitation; work supports it.",
        [("q:factors-lead-to-crime", C3_NOTE + " Here: unemployment.")],
    ),
    (
        "criminal-past-stigma",
        "employment-after-release",
        "-",
        W,
        False,
        "A past that is “always in front of you” is a barrier, including to getting work.",
        [
            (
                "q:past-in-front",
                "The seed names stigma as a barrier in general; employment is one such barrier.",
            ),
            "q:appointments-stigma",
        ],
    ),
    # ---- loop 5: stigma
    (
        "reoffending",
        "criminal-past-stigma",
        "+",
        M,
        True,
        "Each further conviction adds to a record and a reputation that follow the person.",
        ["q:past-in-front", "q:junkie"],
    ),
    # ---- family and children
    (
        "support-for-parents-in-prison",
        "contact-with-children-in-custody",
        "+",
        M,
        False,
        "Help with contact keeps parents in prison in touch with their children.",
        ["q:women-no-help"],
    ),
    (
        "support-for-parents-in-prison",
        "pre-release-family-contact",
        "+",
        M,
        False,
        "Specific support for parents includes chances to meet children before release.",
        ["q:children-pre-release", "q:children-support"],
    ),
    (
        "support-for-parents-in-prison",
        "rehabilitation-progress",
        "+",
        M,
        False,
        "A lack of specific support for people with children disrupts rehabilitation.",
        ["q:children-support"],
    ),
    (
        "short-custodial-sentences",
        "contact-with-children-in-custody",
        "-",
        M,
        False,
        "Going into prison cuts contact with children, and short sentences offer little help to keep it.",
        ["q:women-no-help"],
    ),
    (
        "contact-with-children-in-custody",
        "family-relationships",
        "+",
        M,
        False,
        "Keeping in contact during a sentence preserves relationships and routines.",
        ["q:children-pre-release", "q:women-no-help"],
    ),
    (
        "pre-release-family-contact",
        "readjustment-difficulty",
        "-",
        M,
        False,
        "Meeting children before release gives families time to rebuild relationships and routines.",
        ["q:children-pre-release"],
    ),
    (
        "family-relationships",
        "readjustment-difficulty",
        "-",
        M,
        False,
        "Where relationships and routines have been kept up, readjustment after release is easier.",
        ["q:children-pre-release"],
    ),
    (
        "readjustment-difficulty",
        "rehabilitation-progress",
        "-",
        M,
        False,
        "A difficult readjustment disrupts rehabilitation.",
        ["q:children-pre-release", "q:children-support"],
    ),
    (
        "short-custodial-sentences",
        "parental-imprisonment",
        "+",
        M,
        False,
        "Sending parents, many of them women, to prison separates children from them.",
        ["q:women-no-help"],
    ),
    (
        "parental-imprisonment",
        "family-relationships",
        "-",
        M,
        False,
        "A parent’s imprisonment separates the family and breaks its relationships and routines.",
        ["q:women-no-help", "q:children-pre-release"],
    ),
    (
        "family-relationships",
        "childrens-later-offending",
        "-",
        M,
        True,
        "Boys separated from a parent by imprisonment were far more often convicted as adults.",
        ["f:nicco-65", "q:65-percent-boys"],
    ),
    (
        "parental-imprisonment",
        "childrens-later-offending",
        "+",
        M,
        True,
        "Children of imprisoned parents are more likely to offend later in life.",
        [
            "q:65-percent-boys",
            "f:nicco-65",
            ("f:pathways", "Children and families is one of the seven pathways."),
        ],
    ),
    (
        "childrens-later-offending",
        "parental-imprisonment",
        "+",
        W,
        True,
        "When those children offend and are imprisoned as adults, a new generation of children faces a parent’s imprisonment.",
        [
            (
                "q:65-percent-boys",
                "Family history as a driver of crime; the next generation closing the circle is an inference.",
            ),
            (
                "f:nicco-65",
                "The study followed convictions to age 32, the age at which many are parents.",
            ),
        ],
    ),
    # ---- relationships and power
    (
        "stigmatising-language",
        "staff-understanding-of-root-causes",
        "-",
        S,
        False,
        "Labelling people as a “junkie” replaces asking why they use drugs.",
        ["q:junkie", "q:stigmatising-language"],
    ),
    (
        "stigmatising-language",
        "negative-experiences-of-cjs",
        "+",
        M,
        False,
        "Judgemental language from staff is a negative experience of the system.",
        ["q:stigmatising-language", "q:junkie"],
    ),
    (
        "stigmatising-language",
        "criminal-past-stigma",
        "+",
        M,
        False,
        "Staff labels become part of the stigma that follows people.",
        ["q:junkie", "q:appointments-stigma"],
    ),
    (
        "staff-understanding-of-root-causes",
        "tailored-holistic-support",
        "+",
        S,
        False,
        "Staff who do not see needs as root causes rarely provide tailored, holistic support.",
        ["q:not-root-causes", "q:stigmatising-language"],
    ),
    (
        "tailored-holistic-support",
        "multiple-unmet-needs",
        "-",
        M,
        False,
        "Whole-person support looks at housing, mental health and other needs together and builds on strengths.",
        ["q:holistic-view", "q:whole-person", "q:not-root-causes"],
    ),
    (
        "tailored-holistic-support",
        "reoffending",
        "-",
        M,
        False,
        "If root causes are addressed, the cycle of reoffending is more likely to stop.",
        ["q:root-cause", "q:break-free"],
    ),
    (
        "staff-racism-and-bullying",
        "negative-experiences-of-cjs",
        "+",
        S,
        False,
        "Racism, intimidation and bullying by staff are negative experiences of the system.",
        ["q:racism-bullying"],
    ),
    (
        "staff-racism-and-bullying",
        "rehabilitation-progress",
        "-",
        M,
        False,
        "Negative relationships with staff harm rehabilitation.",
        ["q:negative-relationships", "q:racism-bullying"],
    ),
    (
        "punitive-staff-culture",
        "rehabilitation-progress",
        "-",
        M,
        False,
        "A focus on punishment instead of encouragement harms rehabilitation.",
        ["q:punishment", "q:negative-relationships"],
    ),
    (
        "punitive-staff-culture",
        "trusting-staff-relationships",
        "-",
        W,
        False,
        "Staff focused on punishment do not build trusting, respectful relationships.",
        ["q:punishment", "q:trusting-relationships"],
    ),
    (
        "trusting-staff-relationships",
        "rehabilitation-progress",
        "+",
        S,
        False,
        "Positive, trusting and respectful relationships are critical to successful rehabilitation.",
        ["q:trusting-relationships"],
    ),
    (
        "trusting-staff-relationships",
        "honest-disclosure",
        "+",
        M,
        False,
        "Where relationships are not overshadowed by fear, people can communicate honestly.",
        ["q:threat-of-recall", "q:staff-examples"],
    ),
    (
        "honest-disclosure",
        "access-to-support",
        "+",
        M,
        False,
        "Talking honestly, without leaving things out, lets staff signpost the right support.",
        ["q:tell-the-truth", "q:unwilling-to-discuss"],
    ),
    (
        "staff-going-beyond-minimum",
        "signposting-to-support",
        "+",
        S,
        False,
        "Staff who go above and beyond proactively signpost people to services.",
        ["q:staff-examples", "q:above-and-beyond"],
    ),
    (
        "staff-going-beyond-minimum",
        "appointment-flexibility",
        "+",
        M,
        False,
        "They arrange appointments around people’s schedules.",
        ["q:staff-examples"],
    ),
    (
        "staff-going-beyond-minimum",
        "trusting-staff-relationships",
        "+",
        S,
        False,
        "They build trusting, supportive relationships with mutual respect at their core.",
        ["q:staff-examples", "q:above-and-beyond"],
    ),
    (
        "staff-going-beyond-minimum",
        "education-training-opportunities",
        "+",
        M,
        False,
        "They broker education and volunteering opportunities.",
        ["q:staff-examples"],
    ),
    (
        "appointment-flexibility",
        "engagement-with-community-services",
        "+",
        M,
        False,
        "People find rigid appointments and office hours hard to keep; flexibility keeps them in contact with support.",
        ["q:appointments-stigma", "q:staff-examples"],
    ),
    (
        "signposting-to-support",
        "access-to-support",
        "+",
        M,
        False,
        "Being pointed to the right organisations helps people reach support.",
        ["q:staff-examples", "q:unwilling-to-discuss"],
    ),
    (
        "signposting-to-support",
        "help-with-benefits-and-debt",
        "+",
        M,
        False,
        "Services signpost people to partners who can help with benefits.",
        ["q:signpost"],
    ),
    (
        "signposting-to-support",
        "job-search-support",
        "+",
        M,
        False,
        "Services signpost people to partners who help with employment and training.",
        ["q:signpost"],
    ),
    (
        "personal-agency",
        "power-imbalance",
        "-",
        M,
        False,
        "Giving people agency to make their own decisions redresses power imbalances with staff.",
        ["q:agency"],
    ),
    (
        "peer-mentoring",
        "power-imbalance",
        "-",
        M,
        False,
        "Peer mentors with lived experience redress power imbalances.",
        ["q:peer-mentors"],
    ),
    (
        "power-imbalance",
        "trusting-staff-relationships",
        "-",
        W,
        False,
        "Imbalanced power gets in the way of relationships built on mutual respect.",
        ["q:agency", "q:staff-examples"],
    ),
    (
        "peer-mentoring",
        "access-to-support",
        "+",
        M,
        False,
        "Peer mentors help people access the right support.",
        ["q:peer-mentors"],
    ),
    (
        "peer-mentoring",
        "self-confidence",
        "+",
        M,
        False,
        "A mentor boosts confidence and shows that people will work with you.",
        ["q:mentor"],
    ),
    (
        "peer-mentoring",
        "mistrust-of-authority",
        "-",
        W,
        False,
        "A mentor shows “there are good people out there”, easing distrust.",
        ["q:mentor"],
    ),
    (
        "self-confidence",
        "rehabilitation-progress",
        "+",
        W,
        False,
        "Confidence, built on strengths, supports rehabilitation.",
        ["q:mentor", "q:whole-person"],
    ),
    # ---- trauma and domestic abuse
    (
        "domestic-violence",
        "multiple-unmet-needs",
        "+",
        M,
        False,
        "Domestic violence is one of the unmet needs driving reoffending.",
        [("q:multiple-unmet-needs", A2_NOTE)],
    ),
    (
        "trauma",
        "reoffending",
        "+",
        M,
        False,
        "Trauma is among the issues that lead to crime.",
        [("q:factors-lead-to-crime", C3_NOTE)],
    ),
    (
        "trauma",
        "rehabilitation-progress",
        "-",
        M,
        False,
        "Trauma prevents rehabilitation.",
        [("q:factors-lead-to-crime", C3_NOTE)],
    ),
    (
        "gender-specific-support",
        "feeling-safe-to-talk",
        "+",
        S,
        False,
        "Talking to another woman in a safe space makes women feel safer.",
        ["q:safe-space", "q:anawim"],
    ),
    (
        "feeling-safe-to-talk",
        "honest-disclosure",
        "+",
        S,
        False,
        "Feeling safe makes it much easier to open up and tell the truth.",
        ["q:tell-the-truth"],
    ),
    # ---- loop 6: mistrust
    (
        "mistrust-of-authority",
        "engagement-with-community-services",
        "-",
        M,
        False,
        "Mistrust of authority figures keeps people away from community services and professionals.",
        ["q:mistrust", "q:underserved"],
    ),
    (
        "engagement-with-community-services",
        "crisis",
        "-",
        M,
        False,
        "Being underserved by community services lets health and social problems build up.",
        ["q:underserved"],
    ),
    (
        "engagement-with-community-services",
        "multiple-unmet-needs",
        "-",
        M,
        False,
        "Being underserved by community services compounds the link between poor health and offending.",
        ["q:underserved"],
    ),
    (
        "crisis",
        "contact-with-police-and-courts",
        "+",
        M,
        False,
        "Unaddressed crises lead into contact with police and courts; crime and crisis feed each other.",
        ["q:short-sentences-worsen", "f:rda-2million", "f:rda-multiple"],
    ),
    (
        "contact-with-police-and-courts",
        "negative-experiences-of-cjs",
        "+",
        M,
        False,
        "Contact with the system brings judgemental language, racism, bullying and punitive treatment.",
        ["q:stigmatising-language", "q:negative-relationships", "q:racism-bullying"],
    ),
    (
        "negative-experiences-of-cjs",
        "mistrust-of-authority",
        "+",
        S,
        False,
        "Previous negative experiences in the criminal justice system cause mistrust of authority figures.",
        ["q:mistrust"],
    ),
    (
        "reoffending",
        "contact-with-police-and-courts",
        "+",
        S,
        False,
        "Proven reoffending means a new caution or conviction, so more contact with police and courts.",
        ["f:seu-58", "q:nowhere-to-go"],
    ),
    (
        "multiple-unmet-needs",
        "crisis",
        "+",
        M,
        False,
        "Needs left unmet turn into crises.",
        ["q:short-sentences-worsen", "q:root-cause"],
    ),
    # ---- help-seeking
    (
        "multiple-unmet-needs",
        "help-seeking",
        "-",
        M,
        False,
        "People with complex problems are less likely to seek help.",
        ["q:less-likely-seek-help"],
    ),
    (
        "help-seeking",
        "access-to-support",
        "+",
        M,
        False,
        "Seeking help is the first step to getting it.",
        ["q:less-likely-seek-help", "q:self-referred"],
    ),
    (
        "access-to-support",
        "multiple-unmet-needs",
        "-",
        M,
        False,
        "Getting the right support meets needs; where support is inadequate or inaccessible, needs remain.",
        ["q:support-inadequate", "q:peer-mentors"],
    ),
    (
        "criminal-past-stigma",
        "help-seeking",
        "-",
        M,
        False,
        "Stigma creates further barriers to seeking and getting help.",
        ["q:appointments-stigma", "q:past-in-front"],
    ),
    (
        "mistrust-of-authority",
        "help-seeking",
        "-",
        M,
        False,
        "People who mistrust authority figures are less likely to turn to services.",
        ["q:mistrust", "q:less-likely-seek-help"],
    ),
    # ---- third-sector support and funding
    (
        "third-sector-holistic-support",
        "job-search-support",
        "+",
        M,
        False,
        "A support worker helps with looking for a job.",
        ["q:clink-support-worker", "q:clink"],
    ),
    (
        "third-sector-holistic-support",
        "help-with-benefits-and-debt",
        "+",
        M,
        False,
        "The support worker helps with benefits, money and debts.",
        ["q:clink-support-worker"],
    ),
    (
        "third-sector-holistic-support",
        "help-finding-accommodation",
        "+",
        M,
        False,
        "The support worker helps with housing.",
        ["q:clink-support-worker"],
    ),
    (
        "third-sector-holistic-support",
        "anxiety-coping-skills",
        "+",
        M,
        False,
        "The support worker teaches anxiety tools.",
        ["q:clink-support-worker"],
    ),
    (
        "third-sector-holistic-support",
        "access-to-support",
        "+",
        M,
        False,
        "Support that starts in prison and continues for two years after release keeps people connected to help.",
        ["q:clink-two-years", "q:third-sector-positive"],
    ),
    (
        "charity-funding-for-community-support",
        "third-sector-holistic-support",
        "+",
        W,
        False,
        "Funding pays for charities’ community-based support for people who have served their sentence.",
        ["f:npc-86", "q:beyond-bars"],
    ),
    # ---- multi-agency working and lived experience
    (
        "multi-agency-working",
        "staff-understanding-of-root-causes",
        "+",
        M,
        False,
        "Agencies working together build an understanding of people’s needs.",
        ["q:work-together", "q:multiagency"],
    ),
    (
        "multi-agency-working",
        "access-to-community-healthcare",
        "+",
        M,
        False,
        "A joined-up approach encourages greater access to healthcare and early intervention.",
        ["q:joined-up"],
    ),
    (
        "multi-agency-working",
        "multiple-unmet-needs",
        "-",
        M,
        False,
        "Multiple and complex needs are ones no single agency can address alone.",
        ["f:rda-no-one-agency", "q:multiagency"],
    ),
    (
        "multi-agency-working",
        "reoffending",
        "-",
        M,
        False,
        "A joined-up approach is expected to reduce reoffending.",
        ["q:joined-up", "q:break-free"],
    ),
    (
        "lived-experience-in-service-design",
        "tailored-holistic-support",
        "+",
        M,
        False,
        "Co-creating services with people who have lived experience makes them fit real needs.",
        ["q:break-free", "q:joined-up"],
    ),
    (
        "lived-experience-in-service-design",
        "peer-mentoring",
        "+",
        W,
        False,
        "Drawing on lived experience includes people acting as peer mentors.",
        ["q:peer-mentors", "q:break-free"],
    ),
    # ---- outcomes
    (
        "rehabilitation-progress",
        "reoffending",
        "-",
        M,
        False,
        "Progress in rehabilitation is what lets people break free from crime.",
        [
            (
                "q:factors-lead-to-crime",
                "Crime and blocked rehabilitation are named as joint results of the same factors.",
            ),
            "q:break-free",
        ],
    ),
    (
        "reoffending",
        "economic-social-cost",
        "+",
        S,
        False,
        "Reoffending imposes large economic and social costs.",
        ["f:cost-total", "f:cost-adults", "f:cost-wq"],
    ),
    (
        "reoffending",
        "community-safety",
        "-",
        M,
        False,
        "Reducing criminal behaviour improves community safety.",
        ["f:rda-links"],
    ),
    (
        "reoffending",
        "multiple-unmet-needs",
        "+",
        W,
        False,
        "Crime and crisis feed each other: each new offence and sentence adds problems.",
        ["q:short-sentences-worsen", "q:more-rubbish"],
    ),
]

# --------------------------------------------------------------------------- curated loops
# (id, name, kind, factors in order around the loop, narrative)
LOOPS = [
    (
        "short-sentence-cycle",
        "Short sentences deepen the problems that drive reoffending",
        "R",
        ["short-custodial-sentences", "multiple-unmet-needs", "reoffending"],
        "A short prison sentence is too short for counselling, substance misuse help or help with contact "
        "with children, but long enough to disrupt housing, income and family life. People come out “with more "
        "rubbish than they had to start off with”; the unmet needs drive reoffending, which leads to another "
        "short sentence. Interviewees call it a vicious circle.",
    ),
    (
        "homeless-release-cycle",
        "Released homeless, offending to get back inside",
        "R",
        [
            "release-without-accommodation",
            "offending-to-return-to-prison",
            "short-custodial-sentences",
        ],
        "People released with nowhere to go may offend on purpose to get back to prison, where there is a bed, "
        "food and company. Each short spell ends with another release into homelessness (one woman was “in and "
        "out six times”).",
    ),
    (
        "recall-silence-cycle",
        "The threat of recall silences people, so needs go unmet and recall follows",
        "R",
        [
            "threat-of-recall",
            "honest-disclosure",
            "multiple-unmet-needs",
            "licence-breaches",
            "recall-to-prison",
        ],
        "Fear of recall stops honest conversations with probation, so needs are not met or signposted; unmet "
        "needs (homelessness, an unstable environment) make licence rules hard to keep; breaches lead to recall, "
        "and more recalls make the threat feel constant.",
    ),
    (
        "drugs-crime-prison-cycle",
        "Drugs, crime to pay for them, and prison without treatment",
        "R",
        [
            "substance-dependency",
            "drug-money-gap",
            "acquisitive-crime",
            "reoffending",
            "short-custodial-sentences",
            "prison-substance-treatment",
        ],
        "An addiction that benefits do not pay for leads to crime to fund it; reoffending leads to short "
        "sentences, which leave no time for substance misuse help, so people leave prison still dependent (and "
        "are often released where drugs are easy to get).",
    ),
    (
        "stigma-work-poverty-cycle",
        "Stigma of a criminal past keeps people out of work and in poverty",
        "R",
        ["criminal-past-stigma", "employment-after-release", "poverty", "reoffending"],
        "A past that is “always in front of you” is a barrier to work; without work people stay poor, poverty "
        "drives reoffending, and each new conviction strengthens the record and the stigma.",
    ),
    (
        "mistrust-crisis-cycle",
        "Mistrust of authority keeps people from services until crisis",
        "R",
        [
            "mistrust-of-authority",
            "engagement-with-community-services",
            "crisis",
            "contact-with-police-and-courts",
            "negative-experiences-of-cjs",
        ],
        "Past negative experiences of the criminal justice system breed mistrust of authority; people then avoid "
        "or are underserved by community services, problems grow into crises that bring them back into contact "
        "with police and courts, where more negative experiences deepen the mistrust.",
    ),
    (
        "intergenerational-cycle",
        "Parental imprisonment and children’s later offending",
        "R",
        ["parental-imprisonment", "family-relationships", "childrens-later-offending"],
        "A parent’s imprisonment separates children from them and strains family relationships; boys separated "
        "by parental imprisonment were far more often convicted as adults, and when they are imprisoned in turn a "
        "new generation of children is separated. The effect takes decades (delayed links).",
    ),
    (
        "help-avoidance-cycle",
        "Complex needs make people less likely to seek help",
        "R",
        ["multiple-unmet-needs", "help-seeking", "access-to-support"],
        "People with complex problems are less likely to seek help, so they reach less support and their needs "
        "grow more complex.",
    ),
    (
        "treatment-brake",
        "Drug and alcohol treatment as a brake on dependency",
        "B",
        ["substance-dependency", "community-drug-alcohol-treatment"],
        "Drug and alcohol programmes are aimed at people whose substance misuse drives their offending, and "
        "treatment reduces dependency. This balancing loop only works where treatment is within reach: short "
        "sentences and release into drug-rich environments cut across it.",
    ),
]

# --------------------------------------------------------------------------- organisations
ORGANISATIONS = [
    {
        "id": "the-clink-charity",
        "name": "The Clink Charity",
        "kind": "charity",
        "description": "Holistic support in prison that continues for two years after release.",
        "acts_on": [
            (
                "third-sector-holistic-support",
                "Support worker about an hour a week in prison and for two years after release.",
                INT,
            ),
            ("job-search-support", "Helps with looking for a job.", INT),
            ("help-finding-accommodation", "Helps with housing.", INT),
            ("help-with-benefits-and-debt", "Helps with benefits, money and debts.", INT),
            ("anxiety-coping-skills", "Teaches anxiety tools.", INT),
        ],
    },
    {
        "id": "anawim",
        "name": "Anawim",
        "kind": "charity",
        "description": "Gender-specific support for women.",
        "acts_on": [
            (
                "gender-specific-support",
                "Recognised for its gender-specific support offering for women.",
                ART,
            ),
            (
                "feeling-safe-to-talk",
                "A safe space where it is easier to talk to another woman.",
                INT,
            ),
            ("honest-disclosure", "Makes it easier to open up and tell the truth.", INT),
        ],
    },
    {
        "id": "change-grow-live",
        "name": "Change Grow Live",
        "kind": "charity",
        "description": "Health and social care charity; one of the largest providers of drug and alcohol "
        "intervention programmes for people whose substance misuse drives their offending.",
        "acts_on": [
            ("prison-substance-treatment", "In-house substance misuse programmes in prison.", CGL),
            (
                "community-drug-alcohol-treatment",
                "Drug and alcohol treatment and recovery in the community.",
                CGL,
            ),
            (
                "signposting-to-support",
                "Signposts to partners for benefits, employment and training.",
                CGL,
            ),
            (
                "community-sentences",
                "Argues it is better to complete a sentence supported by services in the community.",
                CGL,
            ),
        ],
    },
    {
        "id": "revolving-doors-agency",
        "name": "Revolving Doors Agency",
        "kind": "charity",
        "description": "Research and policy with people with lived experience; author of Rebalancing Act for police "
        "and crime commissioners; co-ran NPC’s 2021 interviews.",
        "acts_on": [
            ("multi-agency-working", "Rebalancing Act recommends a multiagency approach.", CGL),
            (
                "community-sentences",
                "Rebalancing Act calls for judges to use community options instead of custody.",
                CGL,
            ),
            (
                "access-to-community-healthcare",
                "Rebalancing Act sets out addressing health and social care needs.",
                "rda-rebalancing-act",
            ),
            (
                "lived-experience-in-service-design",
                "Interviews with people with lived experience, run with NPC.",
                ART,
            ),
        ],
    },
    {
        "id": "npc",
        "name": "NPC (New Philanthropy Capital)",
        "kind": "research",
        "url": "https://www.thinknpc.org/",
        "description": "Think tank and consultancy for the charity sector; its Beyond Bars programme made the case "
        "for funding criminal justice charities.",
        "acts_on": [
            (
                "charity-funding-for-community-support",
                "Beyond Bars programme and funding-flow analysis for funders.",
                ART,
            ),
            (
                "lived-experience-in-service-design",
                "Systems map built from interviews with people with lived experience.",
                ART,
            ),
        ],
    },
]

# --------------------------------------------------------------------------- assembly


def build() -> dict:
    def tags_for(evidence: list[dict]) -> list[str]:
        kinds = {SOURCE_KIND[e["source"]] for e in evidence}
        tags = []
        if "interview" in kinds:
            tags.append("evidence:interview")
        if kinds - {"interview"}:
            tags.append("evidence:literature")
        return tags

    factors = []
    for fid, label, theme, stage, description in FACTORS:
        factor = {
            "id": fid,
            "label": label,
            "description": description,
            "theme": theme,
            "stage": stage,
        }
        if fid in INDICATORS:
            factor["indicator"] = INDICATORS[fid]
        if fid in FACTOR_EVIDENCE:
            factor["evidence"] = [
                dict(ev(r), id=f"{fid}.e{n}") for n, r in enumerate(FACTOR_EVIDENCE[fid], 1)
            ]
        factors.append(factor)

    links = []
    for src, dst, polarity, strength, delay, mechanism, refs in LINKS:
        lid = f"{src}--{dst}"
        evidence = [dict(ev(r), id=f"{lid}.e{n}") for n, r in enumerate(refs, 1)]
        links.append(
            {
                "id": lid,
                "from": src,
                "to": dst,
                "polarity": polarity,
                "strength": strength,
                "delay": delay,
                "mechanism": mechanism,
                "tags": tags_for(evidence),
                "evidence": evidence,
            }
        )

    loops = [
        {"id": i, "name": n, "narrative": t, "factors": f, "kind": k} for i, n, k, f, t in LOOPS
    ]
    organisations = []
    for org in ORGANISATIONS:
        org = dict(org)
        org["acts_on"] = [{"factor": f, "note": note, "source": s} for f, note, s in org["acts_on"]]
        organisations.append(org)

    return {
        "format": "loopwise",
        "format_version": 1,
        "slug": "breaking-the-cycle",
        "title": "Breaking the cycle of reoffending",
        "description": "What drives the cycle of reoffending in England and Wales: housing, mental health, "
        "substance use, money, family, work, relationships with staff, short sentences, recall, stigma and "
        "trust, linked by causal claims with the evidence behind each one. It is built from NPC’s 2021 "
        "interviews (run with Revolving Doors Agency) with people who have been in contact with the criminal "
        "justice system, Change Grow Live’s 2017 article on Revolving Doors Agency’s Rebalancing Act, and "
        "official statistics and research; it is not NPC’s own systems map.",
        "licence": "CC-BY-4.0",
        "visibility": "public",
        "themes": [{"id": i, "label": label, "description": d} for i, label, d in THEMES],
        "stages": [{"id": i, "label": label, "description": d} for i, label, d in STAGES],
        "sources": SOURCES,
        "factors": factors,
        "links": links,
        "loops": loops,
        "organisations": organisations,
        "interventions": [],
        "views": [],
    }


def check(data: dict) -> None:
    from loopwise.model import Map

    m = Map.from_dict(data, where="breaking-the-cycle")
    sign = {(lk.source_factor, lk.target_factor): lk.polarity for lk in m.links}
    for loop in m.curated_loops:
        ring = [*loop.factors, loop.factors[0]]
        minus = sum(sign[(a, b)] == "-" for a, b in zip(ring, ring[1:], strict=False))
        kind = "R" if minus % 2 == 0 else "B"
        assert kind == loop.kind, f"loop {loop.id} is {kind}, declared {loop.kind}"
    for lk in m.links:
        assert lk.evidence, lk.id


def main() -> int:
    data = build()
    check(data)
    from loopwise.model import Map

    canonical = Map.from_dict(data).to_dict()  # canonical field order and defaults
    OUT.write_text(json.dumps(canonical, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    distinct = {e["text"] for lk in data["links"] for e in lk["evidence"] if e["kind"] == "quote"}
    print(
        f"wrote {OUT.relative_to(REPO)}: {len(data['factors'])} factors, {len(data['links'])} links, "
        f"{len(distinct)} distinct seed quotes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
