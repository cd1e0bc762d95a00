#!/usr/bin/python3
"""Doxygen INPUT_FILTER for jot's headers: doxygen-filter.py HEADER prints HEADER as doxygen
should read it. The file itself is not changed.

jot's house style documents a declaration with a plain `//` comment block directly above it.
Doxygen only reads `///` (and `/** */`) comments, so this filter shows it, and only it, the
comments that play that role:

  - A block of `//` lines directly above a declaration (no blank line between), where a
    declaration may start (namespace or class scope, not inside a function body or halfway
    through another declaration), becomes a `///` block.
  - That block documents every declaration that follows it up to the next blank line or
    comment, as house style writes it (a run of trivial accessors under one comment): two or
    more declarations are wrapped in a doxygen member group, and DISTRIBUTE_GROUP_DOC gives each
    member the block's text unless it has its own. In an enum (doxygen has no groups there) the
    text is given to each enumerator of the run as a trailing `///<` comment instead.
  - A trailing `// ...` on the line that ends a declaration becomes `///<`.
  - The first comment block of a file (after `#pragma once`) becomes the file's description.
  - A first line that is only a short heading ("// Relaxations.") above more comment lines
    stays a plain comment: it titles a section of the source, not the declaration below.

The text is escaped for doxygen outside `code spans`, so a comment shows as written: `\\`, `@`,
`<`, `>`, `&`, `#` and `%` are never commands, tags or links. A comment block's lines that are
indented further after an empty comment line (example code) become a Markdown code block, and
"the top of this file" names the header, whose description is a page of its own there.
Line numbers are kept, so doxygen's warnings point at the right line of the real header.
"""

import re
import sys

ACCESS = re.compile(r"^\s*(public|protected|private)\s*:\s*$")
MACRO_ALONE = re.compile(r"^\s*[A-Z][A-Z0-9_]*\s*;?\s*$")
PLAIN_COMMENT = re.compile(r"^(\s*)//(?![/!])(.*)$")
TOOL_COMMENT = re.compile(r"^\s*//\s*(clang-format|NOLINT|IWYU)")
# A section heading for readers of the source ("// Relaxations.") above a declaration's own
# comment: not part of that declaration's documentation.
HEADING = re.compile(r"^\s*// [A-Z][a-z]+( [a-z]+){0,2}\.$")
ESCAPE = re.compile(r"([\\@<>&#%])")
DEFINE = re.compile(r"^\s*#\s*define\b")

# Scope kinds: where declarations may start (namespace, class, enum) and where they may not.
NAMESPACE, CLASS, ENUM, FUNCTION, OTHER = "namespace", "class", "enum", "function", "other"
DECLARATIVE = (NAMESPACE, CLASS, ENUM)


def escape_text(text):
    """Escapes doxygen's special characters outside `code spans` (the even parts)."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):
        parts[i] = ESCAPE.sub(r"\\\1", parts[i])
        # `result<T>::value()`: a `::` after anything but a name would ask for a global link.
        parts[i] = re.sub(r"(?<!\w)::", r"\\::", parts[i])
    return "`".join(parts)


def opens_function_body(head):
    """True when `head`, the text of a declaration up to a `{` at namespace or class scope, is a
    function declarator (or a constructor's initializer list) rather than a brace initializer."""
    head = head.strip()
    if head.count("(") != head.count(")"):
        return False
    if re.search(r"\)[^()]*->", head):  # trailing return type
        return True
    return bool(re.search(r"(\)|\}|\bconst|\bnoexcept|\boverride|\bfinal|&|\btry|\bmutable)$", head))


def scope_kind(head):
    """The kind of scope a `{` opens, from the declaration text before it; None when it is not a
    namespace, class or enum."""
    if re.search(r"\bnamespace\b", head) or re.search(r'\bextern\s*""\s*$', head):
        return NAMESPACE
    keywords = list(re.finditer(r"\b(class|struct|union|enum)\b", head))
    if not keywords or re.search(r"[(=]", head[keywords[-1].end():]):
        return None  # e.g. template <class T> void f(T) {, or a brace initializer
    if re.search(r"\benum\s+(class\s+|struct\s+)?\w*\s*(:[^{]*)?$", head):
        return ENUM
    return CLASS


class Scanner:
    """Follows a header line by line: strips strings and comments from the code, and keeps the
    scope stack and the text of the declaration in progress at the current scope."""

    def __init__(self):
        self.in_block_comment = False
        self.raw_end = None  # the `)delim"` that ends the raw string literal in progress
        self.continued_directive = False
        self.conditionals = []  # per open #if: True while in a later branch (#elif, #else)
        self.stack = [(NAMESPACE, "")]  # (kind, head saved when the scope opened)
        self.head = ""  # the declaration in progress at the current scope
        self.ends = []  # the scope depth of each declaration completed so far

    @property
    def kind(self):
        return self.stack[-1][0]

    @property
    def depth(self):
        return len(self.stack)

    def between_declarations(self):
        return self.kind in DECLARATIVE and not self.head.strip()

    def split(self, line):
        """Returns (code, comment): the line's code with literals blanked and comments removed,
        and its trailing `//` comment (text from `//` on), if any."""
        code = []
        i, n = 0, len(line)
        comment = None
        while i < n:
            if self.raw_end is not None:
                end = line.find(self.raw_end, i)
                if end < 0:
                    return "".join(code), None
                i = end + len(self.raw_end)
                self.raw_end = None
                code.append('""')
                continue
            if self.in_block_comment:
                end = line.find("*/", i)
                if end < 0:
                    return "".join(code), None
                i = end + 2
                self.in_block_comment = False
                code.append(" ")
                continue
            c = line[i]
            if line.startswith("//", i):
                comment = line[i:]
                break
            if line.startswith("/*", i):
                self.in_block_comment = True
                i += 2
                continue
            if c == '"':
                raw = re.search(r'(?:\b|^)(?:u8|u|U|L)?R$', line[:i])
                if raw:
                    paren = line.find("(", i)
                    self.raw_end = ")" + line[i + 1:paren] + '"'
                    code[-1:] = []  # the R prefix
                    i = paren + 1
                    continue
                j = i + 1
                while j < n and line[j] != '"':
                    j += 2 if line[j] == "\\" else 1
                code.append('""')
                i = j + 1
                continue
            if c == "'":
                before = line[:i]
                # A digit separator (1'000) follows a digit or letter; a character literal may
                # have a u8, u, U or L prefix.
                if re.search(r"\w$", before) and not re.search(r"(?:\b|^)(?:u8|u|U|L)$", before):
                    i += 1
                    continue
                j = i + 1
                while j < n and line[j] != "'":
                    j += 2 if line[j] == "\\" else 1
                code.append("''")
                i = j + 1
                continue
            code.append(c)
            i += 1
        return "".join(code), comment

    def is_directive(self, line):
        """True for a preprocessor line (or its continuation); tracks #if branches."""
        if self.continued_directive:
            self.continued_directive = line.rstrip().endswith("\\")
            return True
        if self.in_block_comment or self.raw_end is not None or not line.lstrip().startswith("#"):
            return False
        self.continued_directive = line.rstrip().endswith("\\")
        word = re.match(r"\s*#\s*(\w*)", line).group(1)
        if word in ("if", "ifdef", "ifndef"):
            self.conditionals.append(False)
        elif word in ("elif", "else") and self.conditionals:
            self.conditionals[-1] = True
        elif word == "endif" and self.conditionals:
            self.conditionals.pop()
        return True

    def feed(self, code):
        """Follows the scopes through one line's code."""
        if any(self.conditionals):
            return  # a later #elif or #else branch repeats the braces of the first
        if ACCESS.match(code) or MACRO_ALONE.match(code):
            self.head = ""  # public:, or a macro that stands for declarations (JOT_END_NAMESPACE)
            return
        for c in code:
            if c == "{":
                kind = OTHER
                if self.kind in DECLARATIVE:
                    kind = scope_kind(self.head) or (
                        FUNCTION if opens_function_body(self.head) else OTHER)
                elif self.kind == FUNCTION:
                    kind = FUNCTION
                self.stack.append((kind, self.head))
                self.head = ""
            elif c == "}":
                if len(self.stack) == 1:
                    continue  # unbalanced: keep going rather than fail the documentation
                kind, saved = self.stack.pop()
                if kind in (FUNCTION, NAMESPACE):
                    self.head = ""
                    if self.kind in DECLARATIVE:
                        self.ends.append(self.depth)
                else:  # a class or enum definition, or a brace initializer: the declaration
                    self.head = saved + "{}"  # goes on to its `;`
            elif c == ";" or (c == "," and self.kind == ENUM):
                if self.head.strip() and self.kind in DECLARATIVE:
                    self.ends.append(self.depth)
                self.head = ""
            else:
                self.head += c
        self.head += " "


def filter_header(lines, file_name):
    """The header's lines as doxygen should read them; `file_name` names it in its \\file."""
    scanner = Scanner()
    info = []  # per line: what the scanner saw (see below)
    for line in lines:
        item = dict(between=scanner.between_declarations(), depth=scanner.depth,
                    kind=scanner.kind,
                    in_comment=scanner.in_block_comment or scanner.raw_end is not None,
                    code="", comment=None, directive=False, ends=0, end_depths=[],
                    head_empty=False)
        if scanner.is_directive(line):
            item["directive"] = True
        else:
            item["code"], item["comment"] = scanner.split(line)
            ends_before = len(scanner.ends)
            scanner.feed(item["code"])
            # The scope depth of each declaration this line completes.
            item["end_depths"] = scanner.ends[ends_before:]
            item["ends"] = item["end_depths"].count(item["depth"])  # at its own level
            item["head_empty"] = not scanner.head.strip()
        item["depth_after"] = scanner.depth
        info.append(item)

    n = len(lines)
    out = list(lines)
    group_open, group_close_before, group_close_after = set(), set(), set()

    def is_plain_comment_line(i):
        return (not info[i]["directive"] and not info[i]["in_comment"]
                and not info[i]["code"].strip() and PLAIN_COMMENT.match(lines[i]) is not None
                and not TOOL_COMMENT.match(lines[i]))

    def is_blank(i):
        return not lines[i].strip()

    def doc_lines(start, end):
        """The text of comment lines [start, end): escaped, example code indented."""
        texts = [PLAIN_COMMENT.match(lines[i]).group(2) for i in range(start, end)]
        base = min((len(t) - len(t.lstrip()) for t in texts if t.strip()), default=1)
        result, in_code, previous_empty = [], False, True
        for text in texts:
            indent = len(text) - len(text.lstrip())
            if not text.strip():
                in_code = False
            elif previous_empty and indent >= base + 2:
                in_code = True
            if in_code:
                text = " " * 4 + text  # Markdown reads a paragraph indented by four more as code
            else:
                # In the reference the file's description is a page of its own.
                text = escape_text(text).replace("the top of this file", "the top of " + file_name)
            result.append(text)
            previous_empty = not text.strip()
        return result

    def as_doc_comment(start, end):
        indent = PLAIN_COMMENT.match(lines[start]).group(1)
        out[start:end] = [indent + "///" + text for text in doc_lines(start, end)]

    i = 0
    seen_code = False
    while i < n:
        if not is_plain_comment_line(i):
            if lines[i].strip() and not lines[i].lstrip().startswith("#pragma once"):
                seen_code = True
            i += 1
            continue
        start = i
        while i < n and is_plain_comment_line(i):
            i += 1
        end = i  # the block is lines [start, end)

        # The file's description: the first comment block, standing apart from any declaration.
        if not seen_code:
            seen_code = True
            if end < n and is_blank(end):
                texts = [t.replace("*/", "*&#47;") for t in doc_lines(start, end)]
                out[start:end] = texts
                out[start] = "/** \\file " + file_name + out[start]
                out[end - 1] += " */"
                continue

        # Directly above a declaration (or a macro definition), where a declaration may start.
        if end >= n or not info[start]["between"]:
            continue
        following = lines[end]
        defines = bool(DEFINE.match(following))
        if (is_blank(end) or (info[end]["directive"] and not defines)
                or following.lstrip().startswith("//") or ACCESS.match(following)
                or following.lstrip().startswith("}") or MACRO_ALONE.match(following)):
            continue

        # The run of declarations the block documents: up to a blank line, comment, directive or
        # access specifier at the block's own level, or the end of the enclosing scope. A blank
        # line or comment inside a function body does not end it. A run of macro definitions
        # holds #define lines (and their continuations) only.
        depth = info[start]["depth"]
        j, declarations = end, 0
        while defines and j < n and info[j]["directive"]:
            if not DEFINE.match(lines[j]) and not (j > end and lines[j - 1].rstrip().endswith("\\")):
                break
            declarations += 1 if DEFINE.match(lines[j]) else 0
            j += 1
        while not defines and j < n:
            if info[j]["depth"] < depth:
                break
            if j > end and info[j]["depth"] == depth and info[j]["between"] and (
                    is_blank(j) or info[j]["directive"] or lines[j].lstrip().startswith("//")
                    or ACCESS.match(lines[j]) or lines[j].lstrip().startswith("}")):
                break
            declarations += info[j]["end_depths"].count(depth)
            j += 1
        # Lines [end, j) hold the run; line j (if any) ends it.

        if info[start]["kind"] == ENUM and declarations >= 2:
            # The block stays a plain comment; each enumerator of the run carries its text.
            text = " ".join(t.strip() for t in doc_lines(start, end) if t.strip())
            for k in range(end, j):
                if info[k]["ends"] and info[k]["comment"] is None:
                    out[k] = lines[k] + "  ///< " + text
            continue

        if end - start >= 2 and HEADING.match(lines[start]):
            start += 1  # the heading stays a plain comment
        as_doc_comment(start, end)
        if declarations >= 2 and info[start]["kind"] in (NAMESPACE, CLASS) and j < n:
            if not info[j]["directive"]:
                group_open.add(start)
                group_close_before.add(j)
            elif not defines and info[j - 1]["comment"] is None:
                # Closed at the end of the run's last line: a directive's line cannot take it.
                group_open.add(start)
                group_close_after.add(j - 1)

    # A trailing comment on the line that completes a declaration documents it.
    for k in range(n):
        item = info[k]
        if (item["directive"] or item["comment"] is None or not item["code"].strip()
                or item["kind"] not in DECLARATIVE or item["depth_after"] != item["depth"]
                or not item["ends"] or not item["head_empty"]
                or lines[k].lstrip().startswith("}") or out[k] != lines[k]
                or not PLAIN_COMMENT.match(item["comment"])):
            continue
        code_part = lines[k][:len(lines[k]) - len(item["comment"])]
        out[k] = code_part + "///<" + escape_text(item["comment"][2:])

    # Member groups, marked with C comments so that no line is added or removed.
    for k in group_open:
        out[k] = re.sub(r"^(\s*)", r"\1/**@{*/ ", out[k], count=1)
    for k in group_close_before:
        out[k] = "/**@}*/" if is_blank(k) else re.sub(r"^(\s*)", r"\1/**@}*/ ", out[k], count=1)
    for k in group_close_after:
        out[k] += " /**@}*/"
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: doxygen-filter.py HEADER")
    path = sys.argv[1]
    with open(path, encoding="utf-8") as header:
        lines = header.read().split("\n")
    # As included (jot/session/stores.hpp): two headers may share a file name.
    name = path.replace("\\", "/").rsplit("/include/", 1)[-1]
    sys.stdout.write("\n".join(filter_header(lines, name)))


if __name__ == "__main__":
    main()
