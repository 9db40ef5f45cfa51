# SPDX-License-Identifier: Apache-2.0
"""The reference pages of a folder are well-formed and self-contained.

    python3 tests/docs/check-links.py DIR

Every element is closed in order (void elements aside), every tag is a known
HTML tag (an unescaped "<" in a name would make one up), every "&" starts a
character reference, no id is given twice in a page, and every link points
into the folder: "page.html" to a page that exists, "#x" and "page.html#x"
to an id that page has.  No absolute URL, no script.  Exit status 1 with one
line per problem.
"""
import html.parser
import os
import re
import sys

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "wbr"}
KNOWN = VOID | {
    "html", "head", "title", "body", "nav", "main", "footer", "section", "div", "p", "a", "h1", "h2", "h3", "h4",
    "ul", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tr", "th", "td", "code", "pre", "b",
    "small", "var", "strong", "em",
}
BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


class Page(html.parser.HTMLParser):
    def __init__(self, name, problems):
        super().__init__(convert_charrefs=True)
        self.name, self.problems = name, problems
        self.open, self.ids, self.links = [], set(), []

    def problem(self, text):
        line, _ = self.getpos()
        self.problems.append(f"{self.name}:{line}: {text}")

    def handle_starttag(self, tag, attrs):
        if tag not in KNOWN:
            self.problem(f"unknown tag <{tag}>")
        if tag not in VOID:
            self.open.append(tag)
        for key, value in attrs:
            if key == "id":
                if value in self.ids:
                    self.problem(f'id "{value}" given twice')
                self.ids.add(value)
            elif key in ("href", "src"):
                self.links.append((self.getpos()[0], value))

    def handle_startendtag(self, tag, attrs):
        self.problem(f"<{tag}/>: write HTML void elements as <{tag}>")

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problem(f"</{tag}> closes a void element")
        elif not self.open or self.open[-1] != tag:
            self.problem(f"</{tag}> closes <{self.open[-1] if self.open else 'nothing'}>")
        else:
            self.open.pop()


def parse(folder, name, problems):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        text = f.read()
    for number, line in enumerate(text.splitlines(), 1):
        if BARE_AMPERSAND.search(line):
            problems.append(f"{name}:{number}: a bare '&'")
        if "<script" in line:
            problems.append(f"{name}:{number}: a script")
    page = Page(name, problems)
    page.feed(text)
    page.close()
    if not text.startswith("<!DOCTYPE html>"):
        problems.append(f"{name}:1: no <!DOCTYPE html>")
    if page.open:
        problems.append(f"{name}: unclosed at the end: {' '.join(page.open)}")
    return page


def main(folder):
    problems = []
    names = sorted(n for n in os.listdir(folder) if n.endswith(".html"))
    pages = {name: parse(folder, name, problems) for name in names}
    files = set(os.listdir(folder))
    links = 0
    for name, page in pages.items():
        for line, href in page.links:
            links += 1
            target, _, anchor = href.partition("#")
            ids = pages[target or name].ids if (target or name) in pages else set()
            if re.match(r"[a-z]+:|//", href):
                problems.append(f"{name}:{line}: {href}: a link out of the folder")
            elif target and target not in files:
                problems.append(f"{name}:{line}: {href}: no file {target}")
            elif anchor and anchor not in ids:
                problems.append(f"{name}:{line}: {href}: no id {anchor} in {target or name}")
    for p in problems:
        print(p)
    if not names:
        print(f"{folder}: no pages")
        return 1
    print(f"{folder}: {len(names)} pages, {links} links, {sum(len(p.ids) for p in pages.values())} ids: "
          f"{'ok' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check-links.py DIR")
    sys.exit(main(sys.argv[1]))
