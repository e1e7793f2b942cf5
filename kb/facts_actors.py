"""Identities, threat actors and intrusion sets.

Keys are slugs; the object's stable key is "<type>:<slug>" (see build.py).
Each identity carries the Accord identity extension: actor_kind, country
(ISO 3166-1 alpha-2) and parent (another identity slug).
"""

from sources import (roshan, brief, ref, mitre, COE_185, TREASURY_2019, TREASURY_2015, FBI_SONY,
                     DOJ_PARK, UK_WANNACRY, YONHAP_NH, BBC_NH, PRI_320, YONHAP_TIMELINE,
                     REUTERS_KHNP, CCDCOE_SITE, KBS_CCDCOE, GRACIA_2024, CHANLETT_2017, IISS_2021,
                     EBERT_2020, WOOD_2024, KOREAPRO_2024, STATE_2019, HANDLER_2022)

ACCORD = dict(
    key="accord", name="Accord knowledge base", kind="other",
    description="Publisher of the bundled Accord knowledge base (Korean Peninsula cyber landscape). "
                "Creator of every object in this bundle except the OASIS TLP marking definition.",
    sources=[ref("Accord knowledge base", "kb/README.md in the Accord repository: how the bundle is generated")])

IDENTITIES = [
    # --- states ---------------------------------------------------------
    dict(key="north-korea", name="North Korea", kind="state", country="KP",
         description="Democratic People's Republic of Korea (DPRK). Sponsor of state cyber operations "
                     "aimed, per the seeds, at information collection, financial theft and espionage; "
                     "cyber-diplomatic activity is limited and non-transparent. A UN member that takes part "
                     "in the ITU and the World Summit on the Information Society but has shown little "
                     "involvement in shaping cyber norms.",
         sources=[roshan("North Korean Cyber Capability, Strategy and Cyber Diplomacy; North Korea's Cyber "
                         "Diplomatic Efforts"),
                  brief("Opening section: North Korea as one of the world's foremost cyber threats")]),
    dict(key="south-korea", name="South Korea", kind="state", country="KR",
         description="Republic of Korea (ROK). Highly networked society and frequent target of North Korean "
                     "cyberattacks; pursues national cybersecurity strategies and active cyber diplomacy "
                     "(UN processes, ARF, trilateral and bilateral dialogues, capacity building).",
         sources=[roshan("South Korea's Cyber Security Strategy And Diplomatic Efforts"),
                  brief("Whole brief: South Korea's cybersecurity and international cooperation")]),
    dict(key="united-states", name="United States", kind="state", country="US",
         description="United States of America; ally of the ROK (1953 Mutual Defense Treaty) and partner in "
                     "bilateral and trilateral cyber cooperation.",
         sources=[roshan("Introduction (Strategic Cybersecurity Cooperation Framework, Mutual Defense Treaty); "
                         "closing section on US-ROK-Japan cooperation"),
                  brief("Bilateral Cyber Consultations held between the US and South Korea after WannaCry")]),
    dict(key="japan", name="Japan", kind="state", country="JP",
         description="Japan; partner of the ROK in the China-Japan-ROK and US-ROK-Japan cyber cooperation.",
         sources=[roshan("Trilateral dialogue with China and Japan (2014); trilateral cooperation with the USA "
                         "and Japan (January 2025)"),
                  brief("UK-Japan cyber-focused bilateral dialogues; Japanese counter-attack virus plan")]),
    dict(key="china", name="China", kind="state", country="CN",
         description="People's Republic of China; party to the China-Japan-ROK trilateral cyber dialogue; "
                     "co-initiator with Russia of the 2018 UNGA resolution establishing the OEWG (per Roshan).",
         sources=[roshan("Trilateral cybersecurity dialogue (2014); 2018 OEWG resolution initiated by Russia "
                         "and China"),
                  brief("China as a possible regional security partner and past cyber 'aggressor'")]),
    dict(key="russia", name="Russia", kind="state", country="RU",
         description="Russian Federation; signed the 2024 Treaty on Comprehensive Strategic Partnership with "
                     "the DPRK; co-initiator of the 2018 UNGA resolution establishing the OEWG (per Roshan).",
         sources=[roshan("North Korea's Cyber Diplomatic Efforts: 2018 resolution and 2024 treaty")]),
    dict(key="united-kingdom", name="United Kingdom", kind="state", country="GB",
         description="United Kingdom; the brief cites UK-Japan cyber-focused bilateral dialogues as a model. "
                     "Publicly attributed WannaCry to the Lazarus Group on 19 December 2017.",
         sources=[brief("Following the model of UK-Japan cyber-focused bilateral dialogues"), UK_WANNACRY]),
    # --- international organisations -------------------------------------
    dict(key="european-union", name="European Union", kind="international-organization",
         description="The EU; the brief recommends that Seoul strengthen cyber cooperation with the EU and "
                     "its member states.",
         sources=[brief("Strengthening cooperation with the EU and its member states"),
                  roshan("Keywords (EU)")]),
    dict(key="nato", name="NATO", kind="international-organization",
         description="North Atlantic Treaty Organization; launched a High-Level Cyber Dialogue with the ROK "
                     "in late 2024.",
         sources=[roshan("High-Level Cyber Dialogue with NATO (late 2024)"), KOREAPRO_2024]),
    dict(key="united-nations", name="United Nations", kind="international-organization",
         description="The United Nations, the primary platform for debate on international law in cyberspace "
                     "(UN GGE, OEWG).",
         sources=[roshan("Cyber Conflict: A Threat To Global Security; Cyber Diplomatic Efforts and "
                         "International Cooperation")]),
    dict(key="un-general-assembly", name="UN General Assembly", kind="international-organization",
         parent="united-nations",
         description="UN General Assembly; adopted in 2018 the resolution establishing the Open-Ended "
                     "Working Group on ICT developments.",
         sources=[roshan("North Korea's Cyber Diplomatic Efforts: voting in the UN General Assembly"),
                  ref("UN General Assembly resolution A/RES/73/27", "Adopted 5 December 2018",
                      external_id="A/RES/73/27")]),
    dict(key="un-security-council", name="UN Security Council", kind="international-organization",
         parent="united-nations",
         description="UN Security Council, primary UN organ for international peace and security.",
         sources=[roshan("Cyber Conflict: A Threat To Global Security (UNSC and Article 2(4))")]),
    dict(key="unsc-1718-panel", name="UN Security Council 1718 Committee Panel of Experts",
         kind="international-organization", parent="un-security-council",
         description="Panel of Experts assisting the Security Council committee on DPRK sanctions "
                     "(resolution 1718). Reported up to 58 DPRK cyberattacks on cryptocurrency firms "
                     "between 2017 and 2023 (as cited in the seed, which calls it the 'UN Sanctions "
                     "Committee on the DPRK').",
         sources=[roshan("Cyber Strategies of North-Korea: report from the UN Sanctions Committee on the DPRK"),
                  GRACIA_2024]),
    dict(key="itu", name="International Telecommunication Union", kind="international-organization",
         parent="united-nations",
         description="UN specialised agency for ICTs; North Korea participates in it.",
         sources=[roshan("North Korea's Cyber Diplomatic Efforts: participation in the ITU")]),
    dict(key="asean", name="ASEAN", kind="international-organization",
         description="Association of Southeast Asian Nations.",
         sources=[roshan("Neo-Liberalism: organisations like ASEAN and the ASEAN Regional Forum")]),
    dict(key="asean-regional-forum", name="ASEAN Regional Forum", kind="international-organization",
         parent="asean",
         description="ASEAN-led regional security forum; has a dedicated working group on cybersecurity in "
                     "which South Korea is particularly involved.",
         sources=[roshan("Neo-Liberalism; South Korea's involvement in the ARF (Handler 2022)"), HANDLER_2022]),
    dict(key="ccdcoe", name="NATO Cooperative Cyber Defence Centre of Excellence (CCDCOE)",
         kind="international-organization",
         description="NATO-accredited cyber defence centre of excellence in Tallinn, established in May 2008. "
                     "The brief recommends that Seoul join it; the ROK (represented by the NIS) became a "
                     "contributing participant in May 2022.",
         sources=[brief("Seoul should consider joining the NATO-accredited CCDCOE in Tallinn"),
                  CCDCOE_SITE, KBS_CCDCOE]),
    dict(key="world-bank", name="World Bank", kind="international-organization",
         description="Implements the ROK-funded project 'Combatting Cybercrime: Tools and Capacity Building "
                     "for Emerging Economies'.",
         sources=[roshan("Cyber Diplomatic Efforts and International Cooperation: World Bank project")]),
    dict(key="council-of-europe", name="Council of Europe", kind="international-organization",
         description="International organisation under whose auspices the Budapest Convention on "
                     "Cybercrime (ETS No. 185) was concluded.",
         sources=[COE_185, brief("Seoul should consider ratifying the Budapest Convention on Cybercrime")]),
    # --- ROK agencies ---------------------------------------------------
    dict(key="kisa", name="Korea Internet & Security Agency (KISA)", kind="government-agency",
         country="KR", parent="south-korea",
         description="ROK agency; hosts the GCCD (since 2015) and launched CAMP in 2016, whose secretariat "
                     "it hosts.",
         sources=[roshan("GCCD under KISA (2015); CAMP launched by KISA (2016); KISA hosts CAMP's secretariat")]),
    dict(key="nis", name="National Intelligence Service (NIS)", kind="government-agency",
         country="KR", parent="south-korea",
         description="ROK intelligence service; its cybersecurity role and powers were defined and "
                     "strengthened by the 2011 National Cyber Security Master Plan. Represents the ROK in "
                     "the NATO CCDCOE since 2022.",
         sources=[roshan("2011 National Cyber Security Master Plan (Ebert & Groenendaal 2020)"), KBS_CCDCOE]),
    dict(key="nso", name="National Security Office (NSO)", kind="government-agency",
         country="KR", parent="south-korea",
         description="ROK presidential National Security Office; its competences in cybersecurity were "
                     "strengthened, notably by the 2015 plan.",
         sources=[roshan("South Korea's Cyber Security Strategy: competences of the NSO strengthened; 2015 "
                         "plan strengthening the NSO")]),
    dict(key="rok-mnd", name="ROK Ministry of National Defense", kind="government-agency",
         country="KR", parent="south-korea",
         description="ROK defence ministry ('Ministry of Defense' in the seed); powers strengthened by the "
                     "2011 master plan; host of the Seoul Defense Dialogue.",
         sources=[roshan("2011 National Cyber Security Master Plan strengthened the Ministry of Defense")]),
    dict(key="rok-cyber-command", name="ROK Cyber Command", kind="military", country="KR", parent="rok-mnd",
         description="South Korean military cyber command, established in 2010.",
         sources=[brief("The government's establishment of the Cyber Command in 2010")]),
    dict(key="rok-ministry-home-affairs", name="ROK Ministry of Home Affairs", kind="government-agency",
         country="KR", parent="south-korea",
         description="Named 'Ministry of Home Affairs' in the seed; its cyber powers were strengthened by the "
                     "2011 master plan.",
         sources=[roshan("2011 National Cyber Security Master Plan strengthened the Ministry of Home Affairs")]),
    dict(key="kcc", name="Korea Communications Commission (KCC)", kind="government-agency",
         country="KR", parent="south-korea",
         description="Drew up the 2011 National Cyber Security Master Plan.",
         sources=[roshan("The 2011 National Cyber Security Master Plan was created by the Korean "
                         "Communications Commission")]),
    dict(key="dapa", name="Defense Acquisition Program Administration (DAPA)", kind="government-agency",
         country="KR", parent="rok-mnd", sectors=["defense", "government-national"],
         description="ROK defence procurement agency; data was stolen from it in an October 2018 intrusion "
                     "by unnamed hackers.",
         sources=[brief("October incursion by unnamed hackers where data was stolen from the DAPA")]),
    dict(key="seoul-prosecutors", name="Seoul Central District Prosecutors' Office", kind="law-enforcement",
         country="KR", parent="south-korea",
         description="ROK prosecutors' office that publicly attributed the 2011 NH Bank attack and the 2014 "
                     "KHNP hack to North Korea.",
         sources=[YONHAP_NH, REUTERS_KHNP]),
    # --- US agencies ----------------------------------------------------
    dict(key="us-doj", name="US Department of Justice", kind="government-agency", country="US",
         parent="united-states",
         description="Charged North Korean programmer Park Jin Hyok on 6 September 2018 for the Sony "
                     "Pictures, Bangladesh Bank and WannaCry operations.",
         sources=[DOJ_PARK]),
    dict(key="fbi", name="Federal Bureau of Investigation (FBI)", kind="law-enforcement", country="US",
         parent="us-doj",
         description="Publicly attributed the 2014 Sony Pictures Entertainment hack to the North Korean "
                     "government on 19 December 2014.",
         sources=[roshan("Sony Pictures hack publicly attributed to the North Korean government by the FBI "
                         "(Chanlett 2017)"), FBI_SONY]),
    dict(key="us-treasury", name="US Department of the Treasury (OFAC)", kind="government-agency",
         country="US", parent="united-states",
         description="Its Office of Foreign Assets Control sanctioned the DPRK government and the RGB under "
                     "EO 13687 (2 January 2015) and Lazarus Group, Bluenoroff and Andariel (13 September 2019).",
         sources=[TREASURY_2015, TREASURY_2019]),
    # --- DPRK -----------------------------------------------------------
    dict(key="rgb", name="Reconnaissance General Bureau (RGB)", kind="military", country="KP",
         parent="north-korea",
         description="North Korea's primary intelligence bureau. The US Treasury states that Lazarus Group, "
                     "Bluenoroff and Andariel are controlled by it; ROK investigators named it behind the "
                     "2011 NH Bank and March 2013 attacks.",
         sources=[TREASURY_2019, YONHAP_NH, PRI_320]),
    # --- victims --------------------------------------------------------
    dict(key="sony-pictures", name="Sony Pictures Entertainment", kind="company", country="US",
         sectors=["entertainment"],
         description="US film studio hacked in November 2014.",
         sources=[roshan("Hacking of Sony Pictures Entertainment in 2014 (Chanlett 2017)"), FBI_SONY]),
    dict(key="bangladesh-bank", name="Bangladesh Bank", kind="government-agency", country="BD",
         sectors=["financial-services"],
         description="Central bank of Bangladesh; victim of the February 2016 theft of about USD 81 million.",
         sources=[roshan("February 2016 cyberattacks on banks in Bangladesh and Southeast Asia"), DOJ_PARK]),
    dict(key="khnp", name="Korea Hydro & Nuclear Power (KHNP)", kind="company", country="KR",
         sectors=["energy", "nuclear"],
         description="State-owned operator of South Korea's nuclear reactors; hacked in December 2014.",
         sources=[roshan("2015 plan introduced after attacks on Korea Hydro and Nuclear Power"), REUTERS_KHNP]),
    dict(key="nh-bank", name="NH Bank (Nonghyup)", kind="company", country="KR",
         sectors=["financial-services"],
         description="Banking arm of the National Agricultural Cooperative Federation (Nonghyup); its network "
                     "was paralysed in April 2011 and it was again hit on 20 March 2013.",
         sources=[roshan("2011 master plan created in response to a breach at NH Bank"), YONHAP_NH,
                  YONHAP_TIMELINE]),
    # --- KISA programmes as actors --------------------------------------
    dict(key="camp", name="Cybersecurity Alliance for Mutual Progress (CAMP)", kind="network",
         description="Worldwide cybersecurity cooperation network launched by KISA in 2016; as of 2020 "
                     "over 59 governmental and non-governmental institutions from 45 countries. KISA hosts "
                     "its secretariat.",
         sources=[roshan("In 2016, KISA launched CAMP ... As of 2020 ... over 59 ... institutions from 45 "
                         "countries")]),
    dict(key="gccd", name="Global Cybersecurity Center for Development (GCCD)", kind="government-agency",
         country="KR", parent="kisa",
         description="Established in 2015 by the ROK government under KISA to share cybersecurity knowledge "
                     "and experience with policymakers and experts from developing nations (the seed also "
                     "calls it 'Global Cybersecurity Capacity Centre (GCC)').",
         sources=[roshan("In 2015, the South Korean government established the GCCD under KISA")]),
]

THREAT_ACTORS = [
    dict(key="rgb-cyber-units", name="Reconnaissance General Bureau cyber units",
         threat_actor_types=["nation-state"], sophistication="expert", resource_level="government",
         primary_motivation="organizational-gain", secondary_motivations=["coercion", "revenge"],
         goals=["information collection", "financial theft", "espionage", "intimidation of South Korea",
                "disruption"],
         description="Cyber units of the DPRK's Reconnaissance General Bureau. The US Treasury (2019) "
                     "identifies Lazarus Group, Bluenoroff (APT38) and Andariel as controlled by the RGB. "
                     "The seeds give North Korea's objectives as information collection, financial theft and "
                     "espionage, with analysts citing retaliation, coercion, espionage and financial gain as "
                     "motives, and hard-currency theft to evade sanctions.",
         sources=[roshan("Cyber Strategies of North-Korea: objectives and motives"),
                  roshan("North Korean Cyber Capability, Strategy and Cyber Diplomacy (IISS 2021)"),
                  TREASURY_2019, IISS_2021]),
    dict(key="dprk-espionage-operators", name="North Korean state-sponsored cyber espionage operators",
         threat_actor_types=["nation-state", "spy"], sophistication="advanced", resource_level="government",
         primary_motivation="organizational-gain",
         goals=["espionage", "information collection"],
         description="North Korean state-sponsored cyber espionage operators tracked as Kimsuky and APT37 "
                     "(MITRE ATT&CK), whose parent unit is not named in the sources used here.",
         sources=[roshan("North Korea's cyber strategy: information collection and espionage"),
                  mitre("G0094", "Kimsuky"), mitre("G0067", "APT37")]),
]

INTRUSION_SETS = [
    dict(key="lazarus-group", name="Lazarus Group", mitre_id="G0032",
         aliases=["HIDDEN COBRA", "ZINC", "Guardians of Peace", "Labyrinth Chollima", "Diamond Sleet"],
         first_seen="2009", primary_motivation="organizational-gain", secondary_motivations=["coercion"],
         goals=["espionage", "financial theft", "disruption and destruction"],
         description="North Korean state-sponsored group active since at least 2009, attributed to the "
                     "Reconnaissance General Bureau. Linked to the 2014 Sony Pictures Entertainment wiper "
                     "attack (using the 'Guardians of Peace' persona), the 2016 Bangladesh Bank theft and "
                     "WannaCry (2017), and by industry to earlier campaigns such as DarkSeoul.",
         sources=[mitre("G0032", "Lazarus Group"), TREASURY_2019, UK_WANNACRY,
                  roshan("North Korea's cyber operations: Sony Pictures, Bangladesh Bank")]),
    dict(key="apt38", name="APT38", mitre_id="G0082",
         aliases=["BeagleBoyz", "Bluenoroff", "Stardust Chollima"],
         first_seen="2014", primary_motivation="organizational-gain",
         goals=["financial theft"],
         description="North Korean state-sponsored group specialising in financial cyber operations against "
                     "banks, SWIFT systems and cryptocurrency exchanges, active since at least 2014. The US "
                     "Treasury designates Bluenoroff as a Lazarus sub-group created to earn revenue illicitly "
                     "in response to sanctions.",
         sources=[mitre("G0082", "APT38"), TREASURY_2019,
                  roshan("North Korea prioritising financial gain through cyber operations")]),
    dict(key="kimsuky", name="Kimsuky", mitre_id="G0094",
         aliases=["Velvet Chollima", "Thallium", "Black Banshee"],
         first_seen="2012", primary_motivation="organizational-gain",
         goals=["espionage on foreign policy, national security, nuclear policy and sanctions"],
         description="North Korea-based cyber espionage group active since at least 2012, initially "
                     "targeting South Korean government entities, think tanks and experts.",
         sources=[mitre("G0094", "Kimsuky"), roshan("North Korea's cyber strategy: espionage")]),
    dict(key="apt37", name="APT37", mitre_id="G0067",
         aliases=["Reaper", "ScarCruft", "Ricochet Chollima"],
         first_seen="2012", primary_motivation="organizational-gain",
         goals=["espionage"],
         description="North Korean state-sponsored cyber espionage group active since at least 2012, "
                     "targeting mainly South Korea.",
         sources=[mitre("G0067", "APT37"), roshan("North Korea's cyber strategy: espionage")]),
    dict(key="andariel", name="Andariel", mitre_id="G0138",
         aliases=["Silent Chollima", "Onyx Sleet"],
         first_seen="2009", primary_motivation="organizational-gain",
         goals=["espionage", "financial theft", "disruption"],
         description="North Korean state-sponsored group, a Lazarus sub-group per the US Treasury, focused on "
                     "South Korean government agencies, military organisations and companies; also conducts "
                     "revenue-generating operations.",
         sources=[mitre("G0138", "Andariel"), TREASURY_2019,
                  brief("Attacks on South Korean government information and banks")]),
]

# Relationships among actors: (source key, relationship_type, target key, description, sources)
ACTOR_RELATIONSHIPS = [
    ("intrusion-set:lazarus-group", "attributed-to", "threat-actor:rgb-cyber-units",
     "US Treasury: Lazarus Group is controlled by the RGB", [TREASURY_2019, mitre("G0032", "Lazarus Group")]),
    ("intrusion-set:apt38", "attributed-to", "threat-actor:rgb-cyber-units",
     "US Treasury: Bluenoroff is controlled by the RGB", [TREASURY_2019]),
    ("intrusion-set:andariel", "attributed-to", "threat-actor:rgb-cyber-units",
     "US Treasury: Andariel is controlled by the RGB", [TREASURY_2019]),
    ("intrusion-set:kimsuky", "attributed-to", "threat-actor:dprk-espionage-operators",
     "MITRE ATT&CK: North Korea-based cyber espionage group", [mitre("G0094", "Kimsuky")]),
    ("intrusion-set:apt37", "attributed-to", "threat-actor:dprk-espionage-operators",
     "MITRE ATT&CK: North Korean state-sponsored cyber espionage group", [mitre("G0067", "APT37")]),
    ("intrusion-set:apt38", "related-to", "intrusion-set:lazarus-group",
     "Sub-group of Lazarus Group (US Treasury: Bluenoroff)", [TREASURY_2019]),
    ("intrusion-set:andariel", "related-to", "intrusion-set:lazarus-group",
     "Sub-group of Lazarus Group (US Treasury)", [TREASURY_2019]),
    ("threat-actor:rgb-cyber-units", "attributed-to", "identity:rgb",
     "Cyber units of the Reconnaissance General Bureau", [TREASURY_2019]),
    ("threat-actor:rgb-cyber-units", "attributed-to", "identity:north-korea",
     "State sponsor", [TREASURY_2019, roshan("North Korean Cyber Capability, Strategy and Cyber Diplomacy")]),
    ("threat-actor:dprk-espionage-operators", "attributed-to", "identity:north-korea",
     "State sponsor", [mitre("G0094", "Kimsuky"), mitre("G0067", "APT37")]),
]
