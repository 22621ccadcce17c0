#!/usr/bin/env python3
"""The layers of poreflux and the edges between them (docs/ARCHITECTURE.md, "Layers").

The layers are declared once, by the poreflux_layer(...) calls of CMakeLists.txt: a name, the
source globs and the layers it USES. A layer may use what it USES and, through them, everything
below (the transitive closure); the public headers (include/poreflux) belong to the lowest layer,
types, which every layer uses.

    tools/layer_graph.py                 print the folder-level include edges, each marked ok or UPWARD
    tools/layer_graph.py --check         exit 1 on an include that goes up or sideways (file:line)
    tools/layer_graph.py --symbols BUILD exit 1 on an object file that calls into a layer it may
                                         not use (its undefined symbols, `nm`, against the strong
                                         definitions of the other layers' objects in BUILD)

The build enforces the include rule too (each layer sees only its own and its lower layers'
include roots); this script also catches relative includes ("../x/y.hpp") and calls through the
public headers, which an include root cannot see. ctest runs both checks (tests/CMakeLists.txt).
"""
import argparse
import collections
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SOURCE_TOPS = ("src", "cpu", "cuda", "include")
SOURCE_SUFFIXES = (".hpp", ".cpp", ".cu", ".cuh", ".h", ".in")
PUBLIC_LAYER = "types"  # include/poreflux belongs to it


class Layer:
    def __init__(self, name, sources, uses, target):
        self.name, self.sources, self.uses, self.target = name, sources, uses, target


def read_layers(cmake_path):
    """The poreflux_layer(...) calls of CMakeLists.txt, in order, with their arguments."""
    text = re.sub(r"#[^\n]*", "", open(cmake_path).read())
    layers = collections.OrderedDict()
    for match in re.finditer(r"^\s*poreflux_layer\(([^)]*)\)", text, re.M):
        words = match.group(1).split()
        if words[0] == "name":  # the function's own definition
            continue
        name, lists, current = words[0], collections.defaultdict(list), None
        for word in words[1:]:
            if word in ("SOURCES", "USES", "USES_IF_BUILT", "LIBS", "EXECUTABLE"):
                current = word
            else:
                lists[current].append(word)
        target = lists["EXECUTABLE"][0] if lists["EXECUTABLE"] else "poreflux_" + name
        # USES_IF_BUILT (cuda): allowed like USES; the build links it only where it exists.
        layers[name] = Layer(name, lists["SOURCES"], lists["USES"] + lists["USES_IF_BUILT"], target)
    for layer in layers.values():
        for used in layer.uses:
            if used not in layers:
                sys.exit(f"layer_graph: layer '{layer.name}' USES '{used}', which is not declared")
    return layers


def closures(layers):
    """Each layer's allowed layers: itself and everything it reaches through USES; fails on a cycle."""
    allowed, visiting = {}, set()

    def visit(name):
        if name in allowed:
            return allowed[name]
        if name in visiting:
            sys.exit(f"layer_graph: the USES of the layers form a cycle through '{name}'")
        visiting.add(name)
        reach = {name}
        for used in layers[name].uses:
            reach |= visit(used)
        visiting.discard(name)
        allowed[name] = reach
        return reach

    for name in layers:
        visit(name)
    return allowed


def file_layers(layers):
    """path (relative to ROOT) -> the layers it belongs to: the layers whose SOURCES name it, else
    the layers that own its folder (headers; sources added outside the globs)."""
    by_file, by_folder = collections.defaultdict(set), collections.defaultdict(set)
    for layer in layers.values():
        for pattern in layer.sources:
            for path in glob.glob(os.path.join(ROOT, pattern)):
                rel = os.path.relpath(path, ROOT)
                by_file[rel].add(layer.name)
                by_folder[os.path.dirname(rel)].add(layer.name)

    def layers_of(rel):
        if rel.startswith("include" + os.sep):
            return {PUBLIC_LAYER}
        return by_file.get(rel) or by_folder.get(os.path.dirname(rel), set())

    return layers_of


def node(rel):
    """The folder an edge is drawn between: src/<layer folder>, cpu, cuda, include/poreflux[/sub]."""
    parts = rel.split(os.sep)
    if parts[0] == "src":
        return "src/" + parts[1]
    if parts[0] == "include":
        return "/".join(parts[:-1])
    return parts[0]


INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def include_edges():
    """(including file, line, include text, included file) for every quoted include that names a
    file of the tree: relative to the including file, then to src/, then to include/."""
    for top in SOURCE_TOPS:
        for folder, _, names in os.walk(os.path.join(ROOT, top)):
            for name in sorted(names):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(folder, name)
                text = open(path, encoding="utf-8", errors="replace").read()
                for match in INCLUDE.finditer(text):
                    included = match.group(1)
                    for base in (folder, os.path.join(ROOT, "src"), os.path.join(ROOT, "include")):
                        candidate = os.path.normpath(os.path.join(base, included))
                        if os.path.isfile(candidate):
                            line = text.count("\n", 0, match.start()) + 1
                            yield (os.path.relpath(path, ROOT), line, included, os.path.relpath(candidate, ROOT))
                            break


def check_includes(layers, verbose):
    allowed = closures(layers)
    layers_of = file_layers(layers)
    edges = collections.defaultdict(lambda: [0, True])
    bad = []
    for source, line, text, target in include_edges():
        mine, theirs = layers_of(source), layers_of(target)
        if not mine:
            bad.append(f"{source}:{line}: the file belongs to no layer (add its folder to a poreflux_layer call)")
            continue
        # A file in a folder two layers share (src/backend) may include what any of them may.
        ok = any(theirs & allowed[m] for m in mine) if theirs else True
        key = (node(source), node(target))
        if key[0] != key[1]:
            edges[key][0] += 1
            edges[key][1] &= ok
        if not ok:
            may = sorted(set().union(*(allowed[m] for m in mine)) - mine)
            bad.append(f'{source}:{line}: #include "{text}" reaches layer {"/".join(sorted(theirs))} from layer '
                       f'{"/".join(sorted(mine))}, which may use only: {", ".join(may) or "nothing below it"}')
    if verbose:
        for (a, b), (count, ok) in sorted(edges.items()):
            print(f"{a:26s} -> {b:26s} {count:3d}  {'ok' if ok else 'UPWARD'}")
    return bad


def object_files(build, layers):
    """layer -> its object files, from CMake's CMakeFiles/<target>.dir (Makefile and Ninja)."""
    found = {}
    for layer in layers.values():
        objects = glob.glob(os.path.join(build, "CMakeFiles", layer.target + ".dir", "**", "*.o"), recursive=True)
        if objects:
            found[layer.name] = objects
    return found


def nm(args, path):
    return subprocess.run(["nm", *args, path], check=True, capture_output=True, text=True).stdout.splitlines()


def check_symbols(build, layers):
    allowed = closures(layers)
    objects = object_files(build, layers)
    missing = [n for n in layers if n not in objects and n != "cuda"]
    if missing:
        return [f"no object files under {build}/CMakeFiles for layer(s) {', '.join(missing)}: build first"]
    defined = {}  # strong definitions only: inline and template code (weak) links anywhere
    for name, paths in objects.items():
        for path in paths:
            for line in nm(["--defined-only"], path):
                fields = line.split()
                if len(fields) == 3 and fields[1] in "TDBR":
                    defined.setdefault(fields[2], (name, path))
    bad = []
    for name, paths in objects.items():
        for path in paths:
            for line in nm(["--undefined-only"], path):
                symbol = line.split()[-1]
                owner = defined.get(symbol)
                if owner and owner[0] not in allowed[name]:
                    readable = subprocess.run(["c++filt", symbol], capture_output=True, text=True).stdout.strip()
                    bad.append(f"{os.path.relpath(path, build)} (layer {name}) calls {readable[:120]}, defined in layer "
                               f"{owner[0]} ({os.path.basename(owner[1])}), which {name} may not use")
    return bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 on an upward include")
    parser.add_argument("--symbols", metavar="BUILD", help="check the object files of this build folder")
    args = parser.parse_args()
    layers = read_layers(os.path.join(ROOT, "CMakeLists.txt"))
    if args.symbols:
        bad = check_symbols(args.symbols, layers)
        what = "calls between layers"
    else:
        bad = check_includes(layers, verbose=not args.check)
        what = "includes between layers"
    for message in bad:
        print(message, file=sys.stderr)
    if bad:
        print(f"layer_graph: {len(bad)} {what} break the layer order of CMakeLists.txt (docs/ARCHITECTURE.md)",
              file=sys.stderr)
        return 1
    if args.check or args.symbols:
        print(f"layer_graph: {len(layers)} layers; every one of the {what} goes down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
