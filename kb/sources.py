"""External references shared by the facts.

Every fact object carries `external_references`: the seed document(s) it comes
from (with the passage) and, for facts completed from public knowledge, the
public source.  Build them with the helpers below so the wording stays uniform.
"""

ROSHAN = "Roshan 2025"
BRIEF = "Policy brief: South Korea's Cybersecurity and International Cooperation"


def roshan(passage):
    """The research article by Purwa Roshan; `passage` says where."""
    return {"source_name": ROSHAN, "description": passage}


def brief(passage):
    """The unsigned policy brief; `passage` says where."""
    return {"source_name": BRIEF, "description": passage}


def ref(source_name, description, url=None, external_id=None):
    r = {"source_name": source_name, "description": description}
    if url:
        r["url"] = url
    if external_id:
        r["external_id"] = external_id
    return r


def mitre(group_id, name):
    return {
        "source_name": "mitre-attack",
        "external_id": group_id,
        "url": "https://attack.mitre.org/groups/%s/" % group_id,
        "description": "MITRE ATT&CK group %s (%s)" % (group_id, name),
    }


# Public sources used by several facts -------------------------------------

COE_185 = ref(
    "Council of Europe Treaty Office: ETS No. 185",
    "Convention on Cybercrime (ETS No. 185): signatures, ratifications and entry into force",
    "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=185")

TREASURY_2019 = ref(
    "US Treasury press release sm774 (2019-09-13)",
    "Treasury Sanctions North Korean State-Sponsored Malicious Cyber Groups: OFAC designates "
    "Lazarus Group, Bluenoroff and Andariel as controlled by the Reconnaissance General Bureau",
    "https://home.treasury.gov/news/press-releases/sm774")

TREASURY_2015 = ref(
    "US Treasury press release (2015-01-02)",
    "Sanctions under Executive Order 13687 against the Government of North Korea, including the "
    "Reconnaissance General Bureau, in response to the Sony Pictures Entertainment attack")

FBI_SONY = ref(
    "FBI press release (2014-12-19)",
    "Update on Sony Investigation: the FBI concludes that the North Korean government is responsible",
    "https://www.fbi.gov/news/press-releases/update-on-sony-investigation")

DOJ_PARK = ref(
    "US DOJ press release (2018-09-06)",
    "North Korean Regime-Backed Programmer Charged With Conspiracy to Conduct Multiple Cyber Attacks "
    "and Intrusions (Park Jin Hyok: Sony Pictures, Bangladesh Bank, WannaCry)",
    "https://www.justice.gov/opa/pr/north-korean-regime-backed-programmer-charged-conspiracy-conduct-multiple-cyber-attacks-and")

WH_WANNACRY = ref(
    "White House press briefing (2017-12-19)",
    "Press Briefing on the Attribution of the WannaCry Malware Attack to North Korea (Thomas P. Bossert)",
    "https://trumpwhitehouse.archives.gov/briefings-statements/press-briefing-on-the-attribution-of-the-wannacry-malware-attack-to-north-korea-121917/")

UK_WANNACRY = ref(
    "UK Foreign Office press release (2017-12-19)",
    "Foreign Office Minister condemns North Korean actor for WannaCry attacks: the NCSC assesses it "
    "highly likely that the Lazarus Group was behind WannaCry",
    "https://www.gov.uk/government/news/foreign-office-minister-condemns-north-korean-actor-for-wannacry-attacks")

YONHAP_NH = ref(
    "Yonhap (2011-05-03)",
    "Prosecution says N. Korea behind Nonghyup's network breakdown (Seoul Central District "
    "Prosecutors' Office: Reconnaissance General Bureau; attack of 12 April 2011)",
    "https://en.yna.co.kr/view/AEN20110503007100315")

REUTERS_77 = ref(
    "Reuters (2009-07-08)",
    "North Korea suspected in U.S., South Korea web attack: attacks began on 4 July; the NIS told lawmakers "
    "that North Korea or pro-North elements were behind them",
    "https://www.reuters.com/article/technologyNews/idUSTRE56709E20090708")

BBC_NH = ref(
    "BBC News (2011-05-03)",
    "North Korea 'behind South Korean bank cyber hack': three-day outage at Nonghyup",
    "https://www.bbc.co.uk/news/world-asia-pacific-13263888")

PRI_320 = ref(
    "PRI / GlobalPost (2013-04-10)",
    "North Korean intelligence agency blamed for South Korea cyberattack: official investigation "
    "points to the Reconnaissance General Bureau; banks and broadcasters hit on 20 March 2013",
    "https://www.pri.org/stories/2013-04-10/north-korean-intelligence-agency-blamed-south-korea-cyberattack")

YONHAP_TIMELINE = ref(
    "Yonhap chronology (2020-04-09)",
    "2013: South Korea announces that North Korea was behind the March 20 attack on Shinhan, NongHyup "
    "and Jeju banks and the KBS, MBC and YTN broadcasters",
    "https://m-en.yna.co.kr/view/AEN20200409001500320")

KH_625 = ref(
    "Korea Herald / Yonhap (2013-07-16)",
    "Government names North Korea as suspect in the June 25 attack on the presidential office and "
    "other websites (attacks from 25 June to 1 July 2013)",
    "http://www01.koreaherald.com/view.php?ud=20130716000896")

REUTERS_KHNP = ref(
    "Reuters (2015-03-17)",
    "South Korea blames North Korea for December hack on nuclear operator (Seoul Central District "
    "Prosecutors' Office; phishing e-mails of 9-12 December 2014)",
    "http://in.reuters.com/article/nuclear-southkorea-northkorea-idINL3N0WJ2DX20150317")

STATE_2019 = ref(
    "US Department of State (2019-09-23)",
    "Joint Statement on Advancing Responsible State Behavior in Cyberspace, signed by 27 states "
    "including the Republic of Korea, Japan, the United Kingdom and the United States",
    "https://www.state.gov/the-united-states-co-hosts-second-ministerial-meeting-on-advancing-responsible-state-behavior-in-cyberspace/")

UN_73_27 = ref(
    "UN General Assembly resolution A/RES/73/27",
    "Developments in the field of information and telecommunications in the context of international "
    "security (adopted 5 December 2018; establishes the open-ended working group)",
    external_id="A/RES/73/27")

NCG_2025 = ref(
    "Joint Press Statement on the Fourth Nuclear Consultative Group Meeting (2025-01-10)",
    "US Department of Defense release, cited by Roshan 2025",
    "https://www.defense.gov/News/Releases/Release/Article/4026575/joint-press-statement-on-the-fourth-nuclear-consultative-group-meeting")

KOREATIMES_2025 = ref(
    "Byung-yeul 2024 (Korea Times)",
    "Korea, US, Japan join forces to enhance cybersecurity, network, digital capabilities (cited by Roshan 2025)",
    "https://www.koreatimes.co.kr/www/tech/2025/01/129_368071.html")

KBS_FRAMEWORK = ref(
    "KBS World (2023-04-28)",
    "Leaders of South Korea and the United States announce a strategic cybersecurity cooperation "
    "framework after their summit of 26 April 2023",
    "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=177435")

KBS_CCDCOE = ref(
    "KBS World / Yonhap (May 2022)",
    "NIS: South Korea becomes an official member (contributing participant) of the NATO CCDCOE, "
    "the first Asian nation; efforts began in 2019; the centre was established in May 2008",
    "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=169458")

CCDCOE_SITE = ref("CCDCOE", "NATO Cooperative Cyber Defence Centre of Excellence, Tallinn", "https://ccdcoe.org/")

GRACIA_2024 = ref(
    "Gracia 2024 (Wilson Center)",
    "Facing the North Korean cyber threat: United States-South Korea coordination in cyberspace; "
    "cites the UN 1718 Committee Panel of Experts (58 attacks, about USD 3 billion)",
    "https://www.wilsoncenter.org/blog-post/facing-north-korean-cyber-threat-united-states-south-korea-coordination-cyberspace")

WOOD_2024 = ref(
    "Wood 2024 (CSIS)",
    "South Korea's 2024 Cyber Strategy: A Primer (cited by Roshan 2025)",
    "https://www.csis.org/blogs/strategic-technologies-blog/south-koreas-2024-cyber-strategy-primer")

KOREAPRO_2024 = ref(
    "Korea Pro (November 2024)",
    "South Korea strengthens NATO cyber ties as new threats emerge globally (cited by Roshan 2025)",
    "https://koreapro.org/2024/11/south-korea-strengthens-nato-cyber-ties-as-new-threats-emerge-globally")

HANDLER_2022 = ref(
    "Handler 2022 (Atlantic Council)",
    "The 5x5: the US-Japan-South Korea trilateral cybersecurity relationship (cited by Roshan 2025)",
    "https://www.atlanticcouncil.org/content-series/the-5x5/the-5x5-the-us-japan-south-korea-trilateral-cybersecurity-relationship/")

EBERT_2020 = ref(
    "Ebert & Groenendaal 2020",
    "Cyber Resilience and Diplomacy in the Republic of Korea, EU Cyber Direct Digital Dialogue report "
    "(cited by Roshan 2025)")

CHANLETT_2017 = ref(
    "Chanlett-Avery et al. 2017 (Congressional Research Service)",
    "North Korean Cyber Capabilities: In Brief, CRS R44912 (cited by Roshan 2025)")

IISS_2021 = ref(
    "IISS 2021",
    "Cyber Capabilities and National Power: A Net Assessment (cited by Roshan 2025 as "
    "'CYBER CAPABILITIES AND NATIONAL POWER: A Net Assessment, 2021')")

ACCORD_MODEL = ref(
    "Accord knowledge model",
    "docs/knowledge-model.md in the Accord repository describes this extension, its properties and enums")
