"""Whether a line names an instrument: a declaration, act, measures, initiative, statement, 办法, 宣言 …"""
import re

from govsearch.text.unicode_scripts import script_language

INSTRUMENT_EN = re.compile(
    r"\b(declarations?|act|law|code|conventions?|charter|treaty|protocol|regulations?|rules|provisions|measures|"
    r"directives?|decree|order|ordinance|statute|bill|initiative|statements?|communiqu[eé]|principles|guidelines?|"
    r"guidance|framework|strategy|plan|roadmap|recommendations?|resolution|memorandum|consensus|agreement|accord|"
    r"commitments?|standards?|policy|white paper|position paper|blueprint|compact|pledge|code of conduct)\b",
    re.IGNORECASE,
)
INSTRUMENT_ZH = re.compile(
    r"(办法|辦法|规定|規定|条例|條例|法|宣言|倡议|倡議|声明|聲明|原则|原則|指引|指南|意见|意見|规划|規劃|方案|决定|決定|"
    r"纲要|綱要|框架|准则|準則|规范|規範|公约|公約|计划|計劃|計畫|战略|戰略|共识|共識|规则|規則|细则|細則|措施|白皮书|"
    r"白皮書|立场文件|立場文件|基本法)(\s*[(（](试行|試行|草案|征求意见稿|徵求意見稿)[)）])?$"
)


def names_instrument(text: str) -> bool:
    return bool(INSTRUMENT_ZH.search(text.strip()) if script_language(text) == "zh" else INSTRUMENT_EN.search(text))
