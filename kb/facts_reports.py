"""The two seed documents as STIX `report` objects.

`object_refs` is computed by build.py: every object whose external
references cite the report's source_name.  The references each report cites
are listed here (source_name = author(s) and year as printed, description =
title and venue, url when the document gives one).
"""

from sources import ROSHAN, BRIEF

# (source_name, description, url or None) -- Roshan 2025 reference list, in order.
ROSHAN_REFERENCES = [
    ("Abdallah, Bin Awang & Ahmad 2019", "Cyberterrorism as a threat to international peace and security: A "
     "critical discourse. Scholars International Journal of Law, Crime and Justice, 02(10), 314-317",
     "https://doi.org/10.36348/sijlcj.2019.v02i10.004"),
    ("Bajak & Associated Press 2023", "Chinese hackers breached hundreds of public, private networks, security "
     "firm says. PBS News, 15 June 2023",
     "https://www.pbs.org/newshour/world/chinese-hackers-breached-hundreds-of-public-private-networks-security-firm-says"),
    ("Byung-yeul 2024", "Korea, US, Japan join forces to enhance cybersecurity, network, digital capabilities. "
     "The Korea Times (dated 1 February 2024 in the reference list; the URL is of January 2025)",
     "https://www.koreatimes.co.kr/www/tech/2025/01/129_368071.html"),
    ("IISS 2021", "Cyber Capabilities and National Power: A Net Assessment. International Institute for "
     "Strategic Studies (listed as 'Capabilities, C. (2021)')", None),
    ("Cavelty & Wenger 2020", "Cyber security meets security politics: Complex technology, fragmented "
     "politics, and networked science. Contemporary Security Policy, 41(1), 5-32",
     "https://doi.org/10.1080/13523260.2019.1678855"),
    ("Chanlett-Avery, Rollins, Rosen & Theohary 2017", "North Korean cyber capabilities: In brief. "
     "Congressional Research Service", None),
    ("Chansoria 2012", "Defying borders in future conflict in East Asia: Chinese capabilities in the realm of "
     "information warfare and cyber space. Journal of East Asian Affairs, 106-127",
     "https://www.jstor.org/stable/23257910"),
    ("China's Peaceful Development 2012", "Embassy of the People's Republic of China",
     "http://zw.china-embassy.gov.cn/eng/zgjj/201209/t20120928_6408733.htm"),
    ("Choucri 2011", "Cyberpolitics in International Relations. MIT Press", None),
    ("Choucri & Goldsmith 2012", "Lost in cyberspace: Harnessing the Internet, international relations, and "
     "global security. The Bulletin of the Atomic Scientists, 68(2), 70-77",
     "https://doi.org/10.1177/0096340212438696"),
    ("Ebert 2020", "Cyber Resilience and Diplomacy in the Republic of Korea. EU Cyber Direct, Digital Dialogue "
     "Report (cited in the text as Ebert & Groenendaal 2020)", None),
    ("Foulon & Meibauer 2024", "How cyberspace affects international relations: The promise of structural "
     "modifiers. Contemporary Security Policy, 45(3), 426-458", "https://doi.org/10.1080/13523260.2024.2365062"),
    ("Gracia 2024", "Asia Dispatches (Wilson Center blog): Facing the North Korean cyber threat: United "
     "States-South Korea coordination in cyberspace",
     "https://www.wilsoncenter.org/blog-post/facing-north-korean-cyber-threat-united-states-south-korea-coordination-cyberspace"),
    ("Grossman 2020", "What China Wants in South Asia. Observer Research Foundation",
     "https://www.orfonline.org/research/what-china-wants-in-south-asia-67665/"),
    ("Handler 2022", "The US-Japan-South Korea trilateral cybersecurity relationship. Atlantic Council",
     "https://www.atlanticcouncil.org/content-series/the-5x5/the-5x5-the-us-japan-south-korea-trilateral-cybersecurity-relationship/"),
    ("Duić 2020", "International Cyber Security Challenges (listed as 'I. Duić, V. C. (2020)')", None),
    ("Inkster 2016", "China's Cyber Power", None),
    ("Jobst 2023", "Cyber security in South Korea - statistics & facts. Statista", None),
    ("Joint Press Statement on the Fourth Nuclear Consultative Group Meeting 2025",
     "US Department of Defense, 10 January 2025",
     "https://www.defense.gov/News/Releases/Release/Article/4026575/joint-press-statement-on-the-fourth-nuclear-consultative-group-meeting"),
    ("Kim 2014", "Cyber security and middle power diplomacy. The Korean Journal of International Studies, "
     "12(2), 323", "https://doi.org/10.14731/kjis.2014.12.12.2.323"),
    ("Kshetri 2013", "Cyber-victimization and cybersecurity in China. Communications of the ACM, 56(4), 35-37",
     "https://doi.org/10.1145/2436256.2436267"),
    ("Manantan 2021", "Defining cyber diplomacy. Australian Institute of International Affairs",
     "https://www.internationalaffairs.org.au/australianoutlook/defining-cyber-diplomacy/"),
    ("Meer 2015", "Enhancing International Cyber Security. Security and Human Rights, Vol. 26. Brill Nijhoff",
     None),
    ("Choucri et al. 2014", "Institutions for Cyber Security: International Responses and Global Imperatives. "
     "Taylor and Francis (listed as 'Nazli Choucri, S. M. (2014)')", None),
    ("Newlove-Eriksson 2021", "Theorizing technology and international relations: Prevailing perspectives and "
     "new horizons. In Technology and international relations (pp. 3-22). Edward Elgar Publishing", None),
    ("Nitta 2014", "National cyber security strategy: are we making progress? Japan's efforts and challenges. "
     "Georgetown Journal of International Affairs, 15, 89", None),
    ("Nye Jr 2016", "Deterrence and dissuasion in cyberspace. International Security, 41(3), 44-71", None),
    ("Office of the President n.d.", "National cybersecurity basic plan executive summary (retrieved 6 February "
     "2025)", "https://eng.president.go.kr/briefing/TE0xLB6"),
    ("Pawlak 2015", "Cyber diplomacy: Confidence-building measures", None),
    ("CISA n.d.", "People's Republic of China cyber threat. Cybersecurity and Infrastructure Security Agency "
     "(retrieved 6 February 2025)",
     "https://www.cisa.gov/topics/cyber-threats-and-advisories/advanced-persistent-threats/china"),
    ("Renard 2017", "Cyber-diplomacy: the making of an international society in the digital age. Taylor and "
     "Francis", None),
    ("Sacks n.d.", "China's Emerging Cyber Governance System. CSIS",
     "https://www.csis.org/programs/strategic-technologies-program/archives/china-cyber-outlook/chinas-emerging-cyber"),
    ("Segal 2017", "Chinese cyber diplomacy in a new era of uncertainty. Hoover Institution, Aegis Paper Series, "
     "1703, 1-23", None),
    ("Segal et al. 2020", "The Future of Cybersecurity across the Asia-Pacific. Asia Policy, 15, 57-114", None),
    ("Korea Pro 2024", "South Korea strengthens NATO cyber ties as new threats emerge globally (November 2024)",
     "https://koreapro.org/2024/11/south-korea-strengthens-nato-cyber-ties-as-new-threats-emerge-globally"),
    ("Brookings Institution 2018", "Asia Transnational Threats Forum: Cybersecurity in Asia",
     "https://www.brookings.edu/events/asia-transnational-threats-forum-cybersecurity-in-asia/"),
    ("Cyberlands.io n.d.", "Top 15 Cybersecurity Breaches in South Korea (retrieved 6 February 2025)",
     "https://www.cyberlands.io/topsecuritybreachessouthkorea"),
    ("Ukhanova 2022", "Cybersecurity and cyber defence strategies of Japan. SHS Web of Conferences, 134, 00159",
     "https://doi.org/10.1051/shsconf/202213400159"),
    ("Valeriano & Maness 2018", "International Relations theory and cyber security: Threats, conflicts, and "
     "ethics in an emergent domain. In The Oxford Handbook of International Political Theory (pp. 258-272). "
     "Oxford University Press", None),
    ("Valeriano 2015", "The Impact of cyber conflict on international relations. SAGE", None),
    ("Vosse 2019", "Japan's Cyber Diplomacy. EU Cyber Direct: Research in Focus", None),
    ("Wood 2024", "South Korea's 2024 Cyber Strategy: A Primer. CSIS",
     "https://www.csis.org/blogs/strategic-technologies-blog/south-koreas-2024-cyber-strategy-primer"),
    ("Zhao, Shi & Yao 2021", "Challenges and Countermeasures of China's Cyberspace Governance in the New Era. "
     "SHS Web of Conferences, Vol. 96, p. 01005", None),
    ("Zhukov 2020", "Cyberspace as a sphere of international relations and national security. Scientific "
     "Review. Series 2. Human Sciences, 3-4, 60-68", "https://doi.org/10.26653/2076-4685-2020-3-4-06"),
]

REPORTS = [
    dict(key="roshan-2025", source_name=ROSHAN,
         name="The Evolving Cyber Landscape: Capabilities and Cyber Diplomatic Efforts of Korean Peninsula",
         published="2025",
         labels=["research-article"],
         description="Research article by Purwa Roshan (M.Phil. scholar, University of Management and "
                     "Technology, Lahore, Pakistan). Using neo-realism and neo-liberalism, it examines North "
                     "and South Korean cyber capabilities, North Korea's cyber strategy and limited cyber "
                     "diplomacy, South Korea's national strategies (2009-2024) and its bilateral, trilateral, "
                     "regional and global cyber diplomacy and capacity building. The article gives no "
                     "publication date; its latest sources date from February 2025, so `published` is set to "
                     "2025 (year only).",
         author_ref=dict(source_name=ROSHAN,
                         description="Author: Purwa Roshan, M.Phil. Scholar, University of Management and "
                                     "Technology (UMT), Lahore, Punjab, Pakistan. Research article 'The Evolving "
                                     "Cyber Landscape: Capabilities and Cyber Diplomatic Efforts of Korean "
                                     "Peninsula' (2025)"),
         references=ROSHAN_REFERENCES),
    dict(key="policy-brief-rok-cooperation", source_name=BRIEF,
         name="South Korea's Cybersecurity and International Cooperation",
         published="2019",
         labels=["policy-brief"],
         description="Unsigned policy brief; no author or publisher is named in the document. It argues that "
                     "South Korea, a frequent target of North Korean cyberattacks since the 7.7 DDoS attack of "
                     "2009, should integrate cybersecurity into its international security cooperation: US-ROK "
                     "consultations, cooperation with the EU (Budapest Convention, CCDCOE, the EU-ROK "
                     "framework), regional partners and multilateral norms. The document is undated; it "
                     "discusses 2018 as the most recent year, so `published` is set to 2019 (year only, "
                     "inferred).",
         author_ref=dict(source_name=BRIEF,
                         description="Unsigned policy brief; no author or publisher is named in the document"),
         references=[]),
]
