"""Script-injection vectors for the browser XSS test, and a work that carries them.

Every vector tries to call ``window.__xss(n)`` (or ``alert(n)``), so a vector
that runs is recorded by the page's init script. They cover tags, event
handlers, URL schemes (``javascript:``, ``data:``, ``vbscript:``, with
entities, control characters and mixed case), CSS ``expression()`` and
``url()``, SVG and MathML, and broken or nested markup. The story lines around
them are plain text written for this test.
"""

from __future__ import annotations

from html import escape

VECTORS: tuple[str, ...] = (
    "<script>window.__xss(1)</script>",
    '<script src="data:text/javascript,window.__xss(2)"></script>',
    '<img src=x onerror="window.__xss(3)">',
    "<img src=x onerror=window.__xss(4)//>",
    '<IMG SRC="javascript:window.__xss(5);">',
    '<img src="jav&#x09;ascript:window.__xss(6)">',
    "<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__xss(7)>",
    '<svg onload="window.__xss(8)"><circle r="2"/></svg>',
    "<svg><script>window.__xss(9)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss(10)></style></mglyph></table></mtext></math>",
    '<body onload="window.__xss(11)">',
    '<iframe src="javascript:window.__xss(12)"></iframe>',
    '<iframe srcdoc="<script>parent.__xss(13)</script>"></iframe>',
    '<a href="javascript:window.__xss(14)">link fourteen</a>',
    '<a href="JaVaScRiPt:window.__xss(15)">link fifteen</a>',
    '<a href=" &#14;  javascript:window.__xss(16)">link sixteen</a>',
    '<a href="data:text/html,<script>parent.__xss(17)</script>">link seventeen</a>',
    '<a href="vbscript:msgbox(18)">link eighteen</a>',
    '<a href="jav&#x0A;ascript:window.__xss(19)">link nineteen</a>',
    '<a href="&#x6A;avascript:window.__xss(20)">link twenty</a>',
    '<div style="background-image: url(javascript:window.__xss(21))">div twenty-one</div>',
    '<div style="width: expression(window.__xss(22))">div twenty-two</div>',
    '<p style="x:ex/**/pression(window.__xss(23))">para twenty-three</p>',
    '<object data="javascript:window.__xss(24)"></object>',
    '<embed src="javascript:window.__xss(25)">',
    '<form action="javascript:window.__xss(26)"><input type="submit" value="go"></form>',
    '<button formaction="javascript:window.__xss(27)">button twenty-seven</button>',
    '<input autofocus onfocus="window.__xss(28)">',
    '<details open ontoggle="window.__xss(29)"><summary>s29</summary>details</details>',
    '<video><source onerror="window.__xss(30)"></video>',
    '<audio src=x onerror="window.__xss(31)"></audio>',
    '<marquee onstart="window.__xss(32)">marquee</marquee>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss(33)">',
    '<link rel="stylesheet" href="javascript:window.__xss(34)">',
    "<style>@import 'javascript:window.__xss(35)'; body { background: url(javascript:window.__xss(35)) }</style>",
    '<base href="javascript:window.__xss(36)//">',
    '<table background="javascript:window.__xss(37)"><tr><td>cell thirty-seven</td></tr></table>',
    '<div onmouseover="window.__xss(38)">hover thirty-eight</div>',
    '<span onclick="window.__xss(39)">click thirty-nine</span>',
    '<img """><script>window.__xss(40)</script>">',
    "<scr<script>ipt>window.__xss(41)</scr</script>ipt>",
    "<<script>window.__xss(42);//<</script>",
    '<a href="#" onclick="window.__xss(43)">link forty-three</a>',
    '<svg><a xlink:href="javascript:window.__xss(44)"><text x="0" y="15">svg link</text></a></svg>',
    '<math href="javascript:window.__xss(45)"><mi>x</mi></math>',
    '<svg><animate onbegin="window.__xss(46)" attributeName="x" dur="1s"/></svg>',
    '<noscript><p title="</noscript><img src=x onerror=window.__xss(47)>"></noscript>',
    "<template><img src=x onerror=window.__xss(48)></template>",
    '<img src="x" ONERROR="window.__xss(49)">',
    '<img src=x onerror="&#119;indow.__xss(50)">',
    "<isindex type=image src=1 onerror=window.__xss(51)>",
    "<frameset onload=window.__xss(52)></frameset>",
    '<div onpointerenter="window.__xss(53)">pointer fifty-three</div>',
    '<a href="javascript&colon;window.__xss(54)">link fifty-four</a>',
    '<iframe src="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3MoNTUpPC9zY3JpcHQ+"></iframe>',
    '<object type="text/html" data="data:text/html,<script>parent.__xss(56)</script>"></object>',
    "<img src=`x`onerror=window.__xss(57)>",
    "<select onfocus=window.__xss(58) autofocus><option>o</option></select>",
    "<textarea autofocus onfocus=window.__xss(59)></textarea>",
    "<div/onmouseover='window.__xss(60)'>slash sixty</div>",
    '<img src=x onerror="alert(61)">',
    '<a href="javascript:alert(62)" id="a62">link sixty-two</a>',
    '<svg><foreignObject><iframe src="javascript:window.__xss(63)"></iframe></foreignObject></svg>',
    '<x onclick="window.__xss(64)" contenteditable>custom sixty-four</x>',
    '<img src="data:image/svg+xml,<svg xmlns=\'http://www.w3.org/2000/svg\' onload=\'parent.__xss(65)\'/>">',
)

SAFE_LINE = "Safe line {n}: the ferry left the harbour at dawn, as it always did."


def chapter_markup() -> str:
    parts = []
    for n, vector in enumerate(VECTORS, start=1):
        parts.append(f"<p>{SAFE_LINE.format(n=n)}</p>")
        parts.append(vector)
    parts.append(f"<p>{SAFE_LINE.format(n=len(VECTORS) + 1)}</p>")
    return "\n".join(parts)


HOSTILE_TAG = '"><script>window.__xss(902)</script>'
HOSTILE_TITLE = "Harbour Lights <img src=x onerror=window.__xss(901)>"


def hostile_download() -> bytes:
    """A file in the shape of AO3's "Download → HTML" carrying every vector."""
    tag = escape(HOSTILE_TAG)
    title = escape(HOSTILE_TITLE)
    return f"""<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>{title}</title></head>
<body>
<div id="preface">
<p class="message"><b>{title}</b><br/>Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="https://archiveofourown.org/works/99999901">https://archiveofourown.org/works/99999901</a>.</p>
<div class="meta"><dl class="tags">
<dt>Rating:</dt><dd><a href="https://archiveofourown.org/tags/General%20Audiences">General Audiences</a></dd>
<dt>Archive Warning:</dt><dd><a href="https://archiveofourown.org/tags/x">No Archive Warnings Apply</a></dd>
<dt>Fandom:</dt><dd><a href="https://archiveofourown.org/tags/Original%20Work">Original Work</a></dd>
<dt>Additional Tags:</dt><dd><a href="https://archiveofourown.org/tags/y">{tag}</a>, <a href="https://archiveofourown.org/tags/z">Harbours</a></dd>
<dt>Language:</dt><dd>English</dd>
<dt>Stats:</dt><dd>Published: 2024-01-01 Words: 900 Chapters: 1/1</dd>
</dl>
<h1>{title}</h1>
<div class="byline">by <a rel="author" href="https://archiveofourown.org/users/xsstester">xsstester</a></div>
<p>Summary</p>
<blockquote class="userstuff"><p>Lights over the harbour &lt;img src=x onerror=window.__xss(903)&gt;.</p></blockquote>
</div>
</div>
<div id="chapters">
<div class="userstuff">
{chapter_markup()}
</div>
</div>
<div id="afterword"></div>
</body></html>
""".encode()
