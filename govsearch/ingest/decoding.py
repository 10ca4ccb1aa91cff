"""Bytes → text: byte-order marks, strict UTF-8, then charset detection scored for an English/Chinese corpus."""
from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache


class UnreadableFile(Exception):
    """The file cannot be ingested; str() is the reason, in one line."""


def one_line(error: BaseException) -> str:
    """An exception as one short line: its class and the start of its message."""
    message = " ".join(str(error).split())[:160]
    return f"{error.__class__.__name__}: {message}" if message else error.__class__.__name__


BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The corpus is English and Chinese: the legacy encodings its files come in. They are added to the
# detector's candidates (a short GB text is often not among them at all) and win ties, in this order.
DOMAIN_CODECS = ("gb18030", "big5", "cp1252")
# Detector names folded into the codec we decode with: GB18030 is a superset of GB2312 and GBK.
FOLD = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
DOMAIN_PRIOR = 2.0  # in byte-weights: one Chinese character
CHAOS_WEIGHT = 1.0  # charset-normalizer's chaos (share of suspicious characters) against our per-byte plausibility
MIN_BYTES_FOR_CHAOS = 200  # on fewer bytes its chaos measure is noise
MIN_PLAUSIBILITY = 0.55  # below this, no decoding looks like text: the bytes are binary or garbled
MAX_CONTROL_RATIO = 0.05  # control characters (other than whitespace) allowed in text
SCORED_NON_ASCII = 20_000  # characters scored per candidate decoding, enough to decide and still fast


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for a file's bytes; `declared` is a charset the file names itself (HTML meta),
    trusted after UTF-8 if it decodes plausibly. Raises UnreadableFile for empty, binary or undecodable data."""
    data = bytes(data)
    if not data.strip(b" \t\r\n\f\v"):
        raise UnreadableFile("empty file")
    for bom, codec in BOMS:
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is None:
                raise UnreadableFile(f"not decodable as text: invalid {codec.removesuffix('-sig').upper()} after its byte-order mark")
            return _finish(text, codec, [])
    if b"\x00" in data:
        # Text has no NUL characters, but UTF-16 and UTF-32 without a byte-order mark have zero bytes
        # (every ASCII character has one): take the wide encoding whose decoding reads as text, if any.
        wide = []
        for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            text = _strict(data, codec)
            if text is not None and "\x00" not in text:
                wide.append((_plausibility(text, codec)[0], codec, text))
        score, codec, text = max(wide) if wide else (0.0, "", "")
        if score < MIN_PLAUSIBILITY:
            raise UnreadableFile("binary file (contains NUL bytes)")
        return _finish(text, codec, [f"decoded as {codec} (no byte-order mark; told by its zero bytes)"])
    text = _strict(data, "utf-8")
    if text is not None and _control_ratio(text) <= MAX_CONTROL_RATIO:
        # Valid UTF-8 is taken as UTF-8: other encodings make valid UTF-8 only by accident, which becomes
        # unlikely beyond a few characters (a two-character GB18030 file can be valid UTF-8: a known limit).
        # Valid UTF-8 full of control characters (C1 controls are two-byte UTF-8) goes on to detection.
        return _finish(text, "utf-8", [])
    if declared:
        codec = _codec_name(declared)
        text = _strict(data, codec) if codec else None
        if text is not None and _plausibility(text, codec)[0] >= MIN_PLAUSIBILITY:
            return _finish(text, codec, [f"decoded as {codec} (declared in the file)"])
        note = f"its declared charset {declared} does not fit"
    else:
        note = ""
    text, codec, warning = _detect(data)
    return _finish(text, codec, [f"{warning}; {note}" if note else warning])


def _finish(text: str, encoding: str, warnings: list[str]) -> tuple[str, str, list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableFile("empty file")
    if _control_ratio(text) > MAX_CONTROL_RATIO:
        raise UnreadableFile("binary file (too many control characters for text)")
    return text, encoding, warnings


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _codec_name(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None
    return FOLD.get(codec, codec)


def _control_ratio(text: str) -> float:
    """Share of control characters (C0 other than whitespace, DEL, C1) in the first 100,000 characters."""
    sample = text[:100_000]
    return len(CONTROL_CHARS.findall(sample)) / max(1, len(sample))


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _detect(data: bytes) -> tuple[str, str, str]:
    """Charset detection: charset-normalizer proposes candidate codecs, the corpus' own legacy encodings are
    added, and each candidate that decodes the bytes strictly is scored by how plausible its characters
    are for this corpus (see _char_weight).

    Why not just take charset-normalizer's best: on short text it has too little evidence and its order
    is close to arbitrary. "人工智能治理" in GB18030 comes out as Korean (cp949), short Big5 as UTF-16,
    "naïve" in cp1252 as cp1250 "naďve", all with chaos 0 and coherence 0; the right codec is often not
    even among its matches. The bytes decode strictly in several codecs, so the choice is made on the
    characters produced: frequent Chinese characters, ASCII and accented letters inside Latin words are
    likely; private-use, unassigned and control characters, half-width katakana, rare ideographs and
    Hangul outside the common KS X 1001 set are the signature of a wrong codec.

    The score is the evidence summed over the bytes, plus a fixed prior for the corpus' own encodings
    (GB18030, Big5, cp1252) worth one Chinese character: it settles two- and three-character files that
    read as plausibly in Japanese, and vanishes against the evidence of any longer text. Remaining ties go
    to the detector's chaos and coherence, then the domain order, then the detector's order."""
    candidates: dict[str, tuple[float | None, float, int]] = {}  # codec -> (chaos, coherence, detector rank)
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data))
    except Exception:  # the detector must not turn bad bytes into a crash
        matches = []
    for rank, match in enumerate(matches[:12]):
        codec = _codec_name(match.encoding)
        if codec and codec not in candidates:
            candidates[codec] = (match.chaos, match.coherence, rank)
    extras = DOMAIN_CODECS + (("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ())
    for codec in extras:
        candidates.setdefault(codec, (None, 0.0, len(matches) + extras.index(codec)))
    scored = []
    for codec, (chaos, coherence, rank) in candidates.items():
        if codec in ("utf-8", "utf-8-sig"):
            continue  # already failed strictly
        text = _strict(data, codec)
        if text is None or _control_ratio(text) > MAX_CONTROL_RATIO:
            continue
        overall, non_ascii = _plausibility(text, codec)
        prior = DOMAIN_CODECS.index(codec) if codec in DOMAIN_CODECS else len(DOMAIN_CODECS)
        if chaos is None:  # not among the detector's matches: measure the same way, where it means something
            chaos = _mess(text) if len(data) >= MIN_BYTES_FOR_CHAOS else 0.0
        evidence = (overall - CHAOS_WEIGHT * chaos) * len(data) + (DOMAIN_PRIOR if codec in DOMAIN_CODECS else 0.0)
        scored.append((round(evidence, 6), -chaos, round(coherence, 3), -prior, -rank, codec, text, overall, non_ascii))
    scored.sort(key=lambda s: s[:5], reverse=True)
    if not scored or scored[0][7] < MIN_PLAUSIBILITY:
        if _control_ratio(data.decode("latin-1")) > MAX_CONTROL_RATIO:
            raise UnreadableFile("binary file (too many control bytes for text)")
        raise UnreadableFile("not decodable as text (no character encoding gives plausible text)")
    codec, text, non_ascii = scored[0][5], scored[0][6], scored[0][8]
    warning = f"decoded as {codec} (detected; plausibility of its non-ASCII characters {non_ascii:.2f}"
    if len(scored) > 1:
        warning += f", next best {scored[1][5]} {scored[1][8]:.2f}"
    return text, codec, warning + ")"


def _mess(text: str) -> float:
    try:
        from charset_normalizer.md import mess_ratio

        return float(mess_ratio(text[:20_000], 1.0))
    except Exception:
        return 0.0


def _plausibility(text: str, codec: str) -> tuple[float, float]:
    """(all characters, non-ASCII characters only): mean character weight per byte it was decoded from, so
    that decodings of the same bytes into fewer or more characters compare fairly. Scores the text up to
    its SCORED_NON_ASCII-th non-ASCII character."""
    unit = 4 if codec.startswith("utf-32") else 2 if codec.startswith("utf-16") else 1
    weight_sum = byte_sum = 0.0
    end = len(text)
    for count, match in enumerate(NON_ASCII.finditer(text)):
        if count == SCORED_NON_ASCII:
            end = match.start()
            break
        i, ch = match.start(), match.group()
        weight = _char_weight(ch)
        if weight is None:  # depends on the neighbours
            weight = _context_weight(ch, text[i - 1] if i else " ", text[i + 1] if i + 1 < len(text) else " ")
        size = _byte_len(ch, codec)
        weight_sum += weight * size
        byte_sum += size
    non_ascii = weight_sum / byte_sum if byte_sum else 1.0
    plain = end - sum(1 for _ in NON_ASCII.finditer(text, 0, end))
    overall = (weight_sum + plain * unit) / (byte_sum + plain * unit) if byte_sum + plain else 0.0
    return overall, non_ascii


NON_ASCII = re.compile(r"[^\t\n\r\x20-\x7e]")  # ASCII controls other than whitespace count as non-ASCII here
ASCII_LETTER = re.compile(r"[A-Za-z]")
COMMON_LATIN1_SYMBOLS = "\u00a0«»°§©®·£¥€"  # the Latin-1/cp1252 symbols English and Chinese documents use
# The most frequent Chinese characters: the 800 most frequent in jieba's dictionary (character counts
# weighted by word frequency, ~83% of the running text it models), in simplified and traditional form.
TOP_HANZI = frozenset(
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得主长可过天作分方用多你着部"
    "能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其军还然起种所如现理机体表力好外与文当两实重新三么只山"
    "水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向"
    "治因立数样身情入原问把路被并利石老教万知级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首"
    "共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五"
    "京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增"
    "历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑革该持始英克士尔让拉思根格造较际亲单朝红"
    "型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源"
    "息语股铁断派速怎需片爱律纪支早况病境证编越局推满且列觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚"
    "般击曾防请离落显罗营足素视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严"
    "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获习医演毛尽脸弹楼艺航陆右协七攻镇检写苏宗"
    "章注阿抗弟坐验封紧劳户优财养适陈喜卫排射哥油刻留急降念云微伤例景拿绝阶座刘刚害印亿沙母酒助闻超审待压升送监策略限竟香配藏"
    "敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船惊核街夏宣掌田久著画辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎"
    "讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶國爲這個來會時學說們於後發對長過業裏經門動進區開產軍還種現機體與當兩實麼關從內沒"
    "將員東頭間無見戰點場數樣問並萬級應資務氣漢總電聲設義統處馬兒領隊計別權話報給變書幾華議稱決張導術結師達題條規縣風運組聽濟"
    "黨論強黃選記卻職號類傳帶幹農邊據聯廣質陽難歷專認車臺遊舉線團備爭衆連調轉該爾讓較際親單紅價約亞則屬積圖準極裝許參喫觀魚辦"
    "復遠羣構隨勢熱網語鐵斷愛紀況證編滿覺雙樂標確織項飛節龍響藥輕擊請離顯羅營視護創餘興佔雖費試寶識維採宮環鬥鄉責嚴橋僅勝殺圍"
    "態楊負層須續狀銀範緻終錢賽獨細衝獲習醫盡臉彈樓藝陸協鎮檢寫蘇驗緊勞戶優財養適陳衛雲傷絕階劉剛億聞審壓監敵蘭溫園樹徵詞島預"
    "繼執誰驚畫輯劍談禮願築亂講臨揮歐葉"
)


W_FOREIGN = 0.8  # a letter of another script inside a word of that script: real text, outside the corpus' languages


@lru_cache(maxsize=65536)
def _char_weight(ch: str) -> float | None:
    """How plausible a character is in an English/Chinese corpus, in [-1, 1]; None when it depends on its
    neighbours. Real text in other scripts still scores as text (W_FOREIGN); what scores low is what a
    wrong codec produces."""
    o = ord(ch)
    if ch in "\t\n\r" or 0x20 <= o < 0x7F:
        return 1.0
    category = unicodedata.category(ch)
    if category in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd":
        return -1.0
    if 0x4E00 <= o <= 0x9FFF:  # CJK Unified Ideographs
        if ch in TOP_HANZI:
            return 1.0
        return 0.7 if _standard_common_hanzi(ch) else 0.3
    if 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or o >= 0x20000:  # extension A/B+, compatibility
        return 0.0
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or 0x2010 <= o <= 0x2027:
        return 1.0  # CJK and full-width punctuation, dashes, quotes, bullets, ellipsis
    if ch in COMMON_LATIN1_SYMBOLS:
        return None
    if 0xFF61 <= o <= 0xFF9F or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
        return 0.0  # half-width katakana (Shift-JIS read from GB or Big5 bytes), Arabic presentation forms
    if 0xAC00 <= o <= 0xD7A3 and len(_encoded(ch, "euc_kr")) != 2:  # Hangul outside the 2,350 of KS X 1001
        return 0.1
    if category in ("Mn", "Me") or category.startswith("L"):
        return None
    if category.startswith("Z"):
        return 0.5
    return 0.3  # other symbols, numbers and punctuation


def _context_weight(ch: str, before: str, after: str) -> float:
    """Letters are plausible inside words: an accented Latin letter next to an ASCII letter ("café",
    "naïve"; "È˹¤ÖÇÄÜ", GB bytes read as cp1252, is not), a letter of another script next to one of the
    same script. Combining marks need a letter before them."""
    if unicodedata.category(ch) in ("Mn", "Me"):
        return 0.5 if unicodedata.category(before).startswith("L") else -1.0
    if ch in COMMON_LATIN1_SYMBOLS:  # "5°C", "€ 20", "« mot »": next to ASCII, not in a run of symbols
        return 1.0 if before < "\x7f" or after < "\x7f" else 0.3
    script = _script(ch)
    if script == "LATIN":
        if ASCII_LETTER.match(before) or ASCII_LETTER.match(after):
            return 1.0 if ord(ch) < 0x100 else W_FOREIGN
        return 0.3
    if script in ("HIRAGANA", "KATAKANA", "HANGUL"):
        return W_FOREIGN  # syllables: a single one makes a word
    return W_FOREIGN if script in (_script(before), _script(after)) else 0.3


@lru_cache(maxsize=65536)
def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ")[0]


@lru_cache(maxsize=65536)
def _standard_common_hanzi(ch: str) -> bool:
    """In a national list of common characters: GB 2312 level 1 (3,755 characters) or Big5's 5,401
    frequent characters (A440-C67E)."""
    gb, big5 = _encoded(ch, "gb2312"), _encoded(ch, "big5")
    return (len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7) or (len(big5) == 2 and 0xA440 <= int.from_bytes(big5, "big") <= 0xC67E)


def _encoded(ch: str, codec: str) -> bytes:
    try:
        return ch.encode(codec)
    except UnicodeEncodeError:
        return b""


@lru_cache(maxsize=65536)
def _byte_len(ch: str, codec: str) -> int:
    try:
        return len(ch.encode(codec))
    except (UnicodeEncodeError, LookupError):
        return 2


META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = META_CHARSET.search(head) or XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None
