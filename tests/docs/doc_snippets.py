#!/usr/bin/env python3
"""Checks the code blocks of jot's Markdown files, and writes their C++ blocks into one source.

    doc_snippets.py check    --source-dir DIR [--built-examples FILE] [--have PARTS]
                             [--build BUILD_DIR TARGET [--cmake CMAKE] [--config CONFIG]] FILE.md...
    doc_snippets.py generate --source-dir DIR [--built-examples FILE] [--have PARTS] --out FILE.cpp
                             FILE.md...

Every fenced block names its language (```text for program output), so that no C++ hides in an
unlabeled fence. Every C++ block (```cpp, ```c++, ```cxx, ```cc, ```hpp) is covered in exactly
one of two ways:

(a) An excerpt of an example, which CI builds and runs. A paragraph ending in
    "From `examples/<file>`:" (or "from") introduces the C++ blocks right after it (only blank
    lines between them), each of which must stand in that file verbatim, as whole lines; a
    paragraph ending in "This is `examples/<file>` ...:" introduces one block that must be the
    whole file.

(b) A fragment compiled inside a hidden context: the line right before the fence is
        <!-- doc-test: context=NAME -->
    naming tests/docs/contexts/NAME.hpp, a header whose line "// doc-test: fragment" is where the
    block goes (usually a function body whose parameters are the names the fragment uses). Or
        <!-- doc-test: continued -->
    which appends the block to the file's previous compiled fragment, for prose that builds one
    program over several blocks. A context that needs an optional part of jot says so with a line
    "// doc-test: requires=redis" (or httplib, or beast, or several, comma-separated); its
    fragments are left out, and the output says so, when --have does not list that part.

`check` checks all that and reports it (with --build it then builds the target that compiles the
fragments, so that a test can say which fragments it left out and compile the others);
`generate` also writes one translation unit: the contexts' #include lines first, then each fragment
in its context inside a namespace of its own, with #line directives so that a compiler error
names the Markdown file and line. What is compiled is the block's text exactly as a reader sees
it; nothing in the block is rewritten.
"""

import argparse
import os
import re
import subprocess
import sys

CPP_LANGUAGES = {"cpp", "c++", "cxx", "cc", "hpp", "hxx", "h++"}
OPTIONAL_PARTS = {"redis": "jot::redis", "httplib": "jot::httplib", "beast": "jot::beast"}
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
DIRECTIVE = re.compile(r"^\s*<!--\s*doc-test:\s*(.*?)\s*-->\s*$")
EXCERPT = re.compile(r"\b[Ff]rom `(examples/[\w./-]+)`:$")
WHOLE_FILE = re.compile(r"This is `(examples/[\w./-]+)`[^`]*:$")
FRAGMENT_MARKER = "// doc-test: fragment"
REQUIRES = re.compile(r"^//\s*doc-test:\s*requires=([\w,]+)\s*$")


class Block:
    def __init__(self, path, line, language, text):
        self.path = path  # relative to the source directory
        self.line = line  # of the opening fence, 1-based
        self.language = language
        self.text = text

    @property
    def where(self):
        return f"{self.path}:{self.line}"

    @property
    def is_cpp(self):
        return self.language.lower() in CPP_LANGUAGES


class Paragraph:
    def __init__(self, path, line):
        self.path = path
        self.line = line  # of its first line, 1-based
        self.lines = []

    def directive_lines(self):
        """[(line number, directive text)] of the doc-test comments in the paragraph."""
        return [(self.line + i, m.group(1)) for i, text in enumerate(self.lines)
                for m in [DIRECTIVE.match(text)] if m]

    def final_directive(self):
        """The doc-test comment that is the paragraph's last line, or None."""
        match = DIRECTIVE.match(self.lines[-1])
        return match.group(1) if match else None

    def excerpt_marker(self):
        """(example, whole_file) when the visible text ends in an excerpt marker, else None."""
        text = " ".join(line.strip() for line in self.lines if not DIRECTIVE.match(line))
        excerpt, whole = EXCERPT.search(text), WHOLE_FILE.search(text)
        if excerpt:
            return excerpt.group(1), False
        if whole:
            return whole.group(1), True
        return None


def parse_markdown(path, rel, errors):
    """Returns the file's elements in order: Block and Paragraph objects."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    elements = []
    paragraph = None
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            if lines[i].strip():
                if paragraph is None:
                    paragraph = Paragraph(rel, i + 1)
                    elements.append(paragraph)
                paragraph.lines.append(lines[i])
            else:
                paragraph = None
            i += 1
            continue
        paragraph = None
        indent, marks, info = len(fence.group(1)), fence.group(2), fence.group(3).strip()
        closing = re.compile(r"^ {0,3}" + re.escape(marks[0]) + "{" + str(len(marks)) + r",}\s*$")
        body = []
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            # Inside an indented fence (a list item), up to that much indentation is not content.
            line = lines[j]
            strip = min(indent, len(line) - len(line.lstrip(" ")))
            body.append(line[strip:])
            j += 1
        if j == len(lines):
            errors.append(f"{rel}:{i + 1}: this fence is never closed")
        language = info.split()[0] if info else ""
        if not language:
            errors.append(f"{rel}:{i + 1}: a fence without a language; name it (```text for "
                          "output, ```cpp for C++)")
        elements.append(Block(rel, i + 1, language, "".join(line + "\n" for line in body)))
        i = j + 1
    return elements


class Fragment:
    def __init__(self, context, first):
        self.context = context
        self.blocks = [first]


def classify(elements, rel, errors):
    """Returns (excerpts, fragments): [(Block, example, whole_file)], [Fragment]."""
    excerpts = []
    fragments = []
    # Each doc-test comment must be the last line before a fence.
    for index, element in enumerate(elements):
        if isinstance(element, Paragraph):
            next_is_fence = index + 1 < len(elements) and isinstance(elements[index + 1], Block)
            for line, text in element.directive_lines():
                if line != element.line + len(element.lines) - 1 or not next_is_fence:
                    errors.append(f"{rel}:{line}: '<!-- doc-test: {text} -->' is not the line "
                                  "right before a fence")

    run = None  # the excerpt marker the current run of C++ blocks belongs to: (example, whole)
    run_blocks = 0
    previous = None
    for element in elements:
        if isinstance(element, Paragraph):
            if run is not None and run_blocks == 0:
                errors.append(f"{element.path}:{element.line}: {run[0]} is announced above, "
                              "but no C++ block follows")
            run, run_blocks = element.excerpt_marker(), 0
            if run is not None and element.final_directive() is not None:
                errors.append(f"{element.path}:{element.line}: this paragraph announces an "
                              f"excerpt of {run[0]} and ends in a doc-test comment; use one")
                run = None
            previous = element
            continue

        block = element
        directive = previous.final_directive() if isinstance(previous, Paragraph) else None
        previous = block
        if not block.is_cpp:
            if directive is not None:
                errors.append(f"{block.where}: a doc-test comment before a ```{block.language} "
                              "block; only C++ blocks are compiled")
            if run is not None and run_blocks == 0:
                errors.append(f"{block.where}: {run[0]} is announced as an excerpt, but the "
                              f"block after it is ```{block.language}")
            run = None
            continue
        if run is not None:
            # A marker introduces the C++ blocks right after it; a directive ends the run.
            if directive is None:
                if run[1] and run_blocks == 1:
                    errors.append(f"{block.where}: {run[0]} is announced as a whole file, so "
                                  "only one block may follow")
                excerpts.append((block, run[0], run[1]))
                run_blocks += 1
                continue
            run = None
        if directive is None:
            errors.append(f"{block.where}: a C++ block that nothing checks. Introduce it with "
                          "\"From `examples/<file>`:\" if it is an excerpt of an example, or put "
                          "<!-- doc-test: context=NAME --> right before it to compile it "
                          "(tests/docs/contexts/)")
            continue
        if directive == "continued":
            if not fragments:
                errors.append(f"{block.where}: <!-- doc-test: continued --> but no compiled "
                              "block comes before it in this file")
            else:
                fragments[-1].blocks.append(block)
            continue
        context = re.fullmatch(r"context=([\w-]+)", directive)
        if not context:
            errors.append(f"{block.where}: unknown doc-test comment '{directive}' (context=NAME "
                          "or continued)")
            continue
        fragments.append(Fragment(context.group(1), block))
    if run is not None and run_blocks == 0:
        errors.append(f"{rel}: {run[0]} is announced at the end, but no C++ block follows")
    return excerpts, fragments


def check_excerpt(source_dir, block, example, whole_file, built, errors, notes):
    path = os.path.join(source_dir, example)
    if not os.path.isfile(path):
        errors.append(f"{block.where}: {example} does not exist")
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if whole_file:
        if block.text != text:
            errors.append(f"{block.where}: this block is announced as {example}, but differs "
                          "from that file")
    elif not block.text.strip():
        errors.append(f"{block.where}: an empty excerpt of {example}")
    elif ("\n" + text).find("\n" + block.text) == -1:
        errors.append(f"{block.where}: this excerpt is not in {example} (as whole lines, "
                      f"verbatim):\n{block.text}")
    if built is not None and example not in built["sources"]:
        if built["complete"]:
            errors.append(f"{block.where}: {example} is not a source of any program in "
                          "examples/, so CI does not build it")
        else:
            notes.add(f"{example}: its excerpts match the file, but this build does not compile "
                      "it (an optional part is missing)")


def read_context(source_dir, name, cache, errors, where):
    if name in cache:
        return cache[name]
    rel = f"tests/docs/contexts/{name}.hpp"
    path = os.path.join(source_dir, rel)
    if not os.path.isfile(path):
        errors.append(f"{where}: no context {rel}")
        cache[name] = None
        return None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    markers = [i for i, line in enumerate(lines) if line.strip() == FRAGMENT_MARKER]
    if len(markers) != 1:
        errors.append(f"{rel}: needs exactly one line '{FRAGMENT_MARKER}', has {len(markers)}")
        cache[name] = None
        return None
    requires = set()
    for line in lines:
        match = REQUIRES.match(line.strip())
        if match:
            for part in match.group(1).split(","):
                if part not in OPTIONAL_PARTS:
                    errors.append(f"{rel}: unknown optional part '{part}' (known: "
                                  f"{', '.join(sorted(OPTIONAL_PARTS))})")
                requires.add(part)
    cache[name] = {"path": path, "rel": rel, "lines": lines, "marker": markers[0],
                   "requires": requires}
    return cache[name]


def read_built_examples(path):
    """The example sources this build compiles, as written by tests/docs/CMakeLists.txt."""
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()]
    complete = "# complete" in lines
    if "# examples not built" in lines:
        return None
    return {"sources": {line for line in lines if not line.startswith("#")}, "complete": complete}


def quoted(path):
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(source_dir, compiled):
    """One translation unit holding every fragment in its context: [(Fragment, context)]."""
    includes = []
    bodies = []
    for number, (fragment, context) in enumerate(compiled, 1):
        lines = context["lines"]
        for line in lines:
            if line.lstrip().startswith("#include") and line.strip() not in includes:
                includes.append(line.strip())
        # The context's #include lines were hoisted; blank lines keep its line numbers right.
        body = ["" if line.lstrip().startswith("#include") else line for line in lines]
        head, tail = body[:context["marker"]], body[context["marker"] + 1:]
        first = fragment.blocks[0]
        out = [f"namespace jot_doc_fragment_{number} {{  // {first.where}",
               f"#line 1 {quoted(context['path'])}"]
        out += head
        for block in fragment.blocks:
            out.append(f"#line {block.line + 1} {quoted(os.path.join(source_dir, block.path))}")
            out.append(block.text.rstrip("\n"))
        out.append(f"#line {context['marker'] + 2} {quoted(context['path'])}")
        out += tail
        out.append(f"}}  // namespace jot_doc_fragment_{number}")
        bodies.append("\n".join(out))
    header = ("// Generated by tests/docs/doc_snippets.py from the C++ blocks of jot's Markdown "
              "files,\n// each inside its context (tests/docs/contexts/). Do not edit.\n")
    return (header + "\n".join(includes) + "\n\n" + "\n\n".join(bodies) +
            "\n\n// Linked, never run: the fragments' functions are not called.\nint main() {}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["check", "generate"])
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--built-examples", help="file listing the example sources built")
    parser.add_argument("--have", default="", help="optional parts built, e.g. redis,httplib")
    parser.add_argument("--out", help="the C++ source to write (generate)")
    parser.add_argument("--build", nargs=2, metavar=("BUILD_DIR", "TARGET"),
                        help="check: then build TARGET, the compiled fragments, in BUILD_DIR")
    parser.add_argument("--cmake", default="cmake", help="the cmake that --build runs")
    parser.add_argument("--config", default="", help="the configuration --build builds")
    parser.add_argument("files", nargs="+", help="Markdown files")
    args = parser.parse_args()
    if args.mode == "generate" and not args.out:
        parser.error("generate needs --out")

    source_dir = os.path.abspath(args.source_dir)
    have = {part for part in args.have.replace(";", ",").split(",") if part}
    built = read_built_examples(args.built_examples)
    errors = []
    notes = set()
    contexts = {}
    compiled = []  # (Fragment, context)
    report = []
    for path in args.files:
        rel = os.path.relpath(os.path.abspath(path), source_dir)
        elements = parse_markdown(path, rel, errors)
        excerpts, fragments = classify(elements, rel, errors)
        for block, example, whole_file in excerpts:
            check_excerpt(source_dir, block, example, whole_file, built, errors, notes)
        skipped = 0
        for fragment in fragments:
            context = read_context(source_dir, fragment.context, contexts, errors,
                                   fragment.blocks[0].where)
            if context is None:
                continue
            missing = sorted(context["requires"] - have)
            if missing:
                skipped += len(fragment.blocks)
                parts = ", ".join(OPTIONAL_PARTS[part] for part in missing)
                notes.add(f"{fragment.blocks[0].where}: not compiled: context "
                          f"{fragment.context} needs {parts}, which this build does not have")
                continue
            compiled.append((fragment, context))
        blocks = [e for e in elements if isinstance(e, Block)]
        cpp = sum(1 for b in blocks if b.is_cpp)
        if blocks:
            in_fragments = sum(len(f.blocks) for f in fragments)
            report.append(f"{rel}: {len(blocks)} fenced, {cpp} C++: {len(excerpts)} excerpts of "
                          f"examples, {in_fragments} compiled (as {len(fragments)} fragments)" +
                          (f", {skipped} of them left out here" if skipped else ""))

    for line in report:
        print(line)
    for note in sorted(notes):
        print("note: " + note)
    if errors:
        for error in errors:
            print("error: " + error, file=sys.stderr)
        print(f"{len(errors)} problem(s) in the documentation's code blocks", file=sys.stderr)
        return 1
    if args.mode == "generate":
        text = generate(source_dir, compiled)
        old = None
        if os.path.exists(args.out):
            with open(args.out, encoding="utf-8") as f:
                old = f.read()
        if old != text:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
        print(f"wrote {len(compiled)} fragments to {args.out}")
    elif args.build:
        command = [args.cmake, "--build", args.build[0], "--target", args.build[1]]
        if args.config:
            command += ["--config", args.config]
        blocks = sum(len(fragment.blocks) for fragment, _ in compiled)
        print(f"compiling and linking {blocks} C++ blocks ({len(compiled)} fragments): "
              f"{' '.join(command)}", flush=True)
        return subprocess.call(command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
