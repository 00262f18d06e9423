#!/usr/bin/env python3
"""How fast is briefgen? One run prints a table and writes benchmarks/results/latest.json.

    python benchmarks/run.py              # full run (a few minutes on 2 cores)
    python benchmarks/run.py --quick      # fewer repeats, smaller batch

It measures real work: whole CLI processes (cold, with briefgen's bytecode written first, as an
installed package has it), the start-up floor (importing the libraries alone), in-process builds
after a warm-up (warm), a brief about ten times longer and briefs of the sizes between (how cost
grows), a batch of 100 specs through `regen --jobs 2` and a no-op rerun, peak memory per process,
and the same content through pandoc (and pandoc + LibreOffice for PDF) when installed.
Absolute times drift between machines; the ratios are what to compare.

Every process it starts uses a disk cache of its own (``briefgen/cache/``), filled by the
first, untimed build as a user's is by their first build; some measures start each time without
the brief's kept page measurements (as after an edit to its text) or from an empty cache (as the
very first build on a machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TWO_PAGE = REPO / "examples" / "minister-two-page.yaml"
PY = sys.executable


def _run(cmd: list[str], **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def interleaved(jobs: dict[str, object], repeats: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median and minimum of each job, run round-robin (job 1, job 2, ..., then again), so that a slow
    spell of a shared machine falls on every job alike rather than on whichever ran then."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, job in jobs.items():
            times[name].append(job())
    return ({n: statistics.median(t) for n, t in times.items()}, {n: min(t) for n, t in times.items()})


def compile_bytecode() -> None:
    """Write briefgen's bytecode, as ``pip install`` does for an installed package. Run from a
    checkout with PYTHONDONTWRITEBYTECODE set (as on the project's CI machine), Python would
    otherwise compile every briefgen module on every start: about 0.15 s that no user pays."""
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "briefgen")], check=True, stdout=subprocess.DEVNULL)


# The libraries each build needs (see briefgen/writers): the least any build of it can cost. A rebuild
# of a brief built before (spec, modules, sources, profile, theme and templates unchanged: the "cold"
# builds below) takes them all from the disk cache, so it imports neither PyYAML nor Jinja nor
# markdown-it, and a DOCX of it no ReportLab; a brief whose spec was edited is composed and laid out
# afresh, so it needs them all. Pydantic loads its validation machinery (about 0.1 s) only when the
# first model class is made, so each floor makes one, as loading a spec does (typer needs it too).
_PYDANTIC_IN_USE = "pydantic.create_model('Probe', x=(int, ...))(x=1)"
# ReportLab as briefgen loads it (briefgen/layout/platypus.py: its URL pattern compiled quickly)
_REPORTLAB = "from briefgen.layout import platypus; platypus.load(); import reportlab.pdfbase.ttfonts"
FLOORS = {
    "python alone": "pass",
    "libraries of an md rebuild": f"import typer, pydantic; {_PYDANTIC_IN_USE}",
    "libraries of a docx rebuild": f"import typer, pydantic, docx; {_PYDANTIC_IN_USE}",
    "libraries of a docx,pdf rebuild": f"import typer, pydantic, docx; {_REPORTLAB}; {_PYDANTIC_IN_USE}",
    "libraries of an edited brief, page-fitted": f"import typer, pydantic, yaml, jinja2, markdown_it, docx; "
                                                 f"{_REPORTLAB}; {_PYDANTIC_IN_USE}",
}


FORMATS = ("md", "html", "docx", "pdf", "docx,pdf")
REBUILD_FLOORS = {"md": "libraries of an md rebuild", "html": "libraries of an md rebuild",
                  "docx": "libraries of a docx rebuild", "docx,pdf": "libraries of a docx,pdf rebuild"}
# The cold builds run with the disk cache as the brief's untimed first build left it: fonts, templates,
# the brief's composition and page measurements kept (a rebuild, or a DOCX of a brief built before).
# These start without the spec's entries, composition and measurements (as after an edit to the spec:
# text not composed or laid out before) or with no cache at all (the first build on a machine).
NEW = "spec edited"
EMPTY = "empty disk cache"
VARIANTS = tuple(f"{fmt}, {how}" for fmt in ("docx", "docx,pdf") for how in (NEW, EMPTY))


def _build_cmd(fmt: str, out: Path) -> list[str]:
    return [PY, "-m", "briefgen", "build", str(TWO_PAGE), "-f", fmt, "-o", str(out)]


def start_up_jobs(out: Path) -> dict[str, object]:
    """Whole processes: the import floors, and briefgen building the two-page brief in each format."""
    # run as the briefgen command runs: the cycle collector off from the start (briefgen/gcpolicy.py,
    # about a tenth of the imports' time) and ended without the interpreter's teardown (fastexit.py)
    jobs: dict[str, object] = {f"floor: {name}": (lambda code=code: _run([PY, "-c", "import gc; gc.disable(); " + code
                                                                          + "; import os; os._exit(0)"]))
                               for name, code in FLOORS.items()}
    for fmt in FORMATS:
        cmd = _build_cmd(fmt, out)
        _run(cmd)  # fills the OS file cache and briefgen's disk cache
        jobs[f"cold {fmt}"] = lambda cmd=cmd: _run(cmd)
    cache, empty = Path(os.environ["BRIEFGEN_CACHE_DIR"]), out.parent / "empty-cache"
    for fmt in ("docx", "docx,pdf"):
        cmd = _build_cmd(fmt, out)

        def spec_edited(cmd=cmd) -> float:
            # as after an edit to the spec: read, composed and laid out again
            for entry in [*cache.glob("pages-*"), *cache.glob("spec-*"), *cache.glob("composed-*")]:
                entry.unlink()
            return _run(cmd)

        def first_on_machine(cmd=cmd) -> float:
            shutil.rmtree(empty, ignore_errors=True)
            return _run(cmd, env=dict(os.environ, BRIEFGEN_CACHE_DIR=str(empty)))
        jobs[f"cold {fmt}, {NEW}"] = spec_edited
        jobs[f"cold {fmt}, {EMPTY}"] = first_on_machine
    return jobs


NEW_TEXT = "docx,pdf, line cache cleared"   # its key in the JSON (kept, so earlier runs compare): new text, see FRESH

# The in-process builds stand for watch and regen's workers, so they run the collector as those do
# (briefgen/gcpolicy.py): on, with what is alive frozen and a collection after each brief. That
# collection runs once the files are written, so it is timed apart (median per brief of each kind);
# under Python's default settings a full collection would instead walk the whole heap during
# whichever build set it off, most often the long brief (measured: ~0.1 s of its ~0.8 s).
AS_WATCH = """
from briefgen import gcpolicy
gcpolicy.long_running(own_process=True)
gcpolicy.after_brief()
_collect = {}
def collected(kind):
    t = time.perf_counter(); gcpolicy.after_brief(); _collect.setdefault(kind, []).append(time.perf_counter() - t)
def collector():
    return {kind: statistics.median(t) for kind, t in _collect.items()}
"""

# A build of text the process has not laid out before (an edit) finds nothing of it in the cache:
# the template is rendered and parsed and the brief laid out again. fresh(True) gives the next build
# a cache that is off (the one switch, briefgen/cache/); fresh(False) the process's cache.
FRESH = """
from briefgen.cache import Cache
_cache = {False: Cache.for_user()}
def fresh(on):
    global CACHE
    CACHE = Cache("off") if on else _cache[False]
fresh(False)
"""


def warm_inprocess(out: Path, repeats: int) -> dict[str, float]:
    """The two-page brief in each format, built again and again in one process (after a warm-up).
    Built again, it takes what it can from the process's cache (its files as read, its composition
    and page count); NEW_TEXT builds with the cache off, as for a brief whose text is new (see
    FRESH). The process runs the collector as those processes do (see
    AS_WATCH)."""
    spec = str(TWO_PAGE)
    code = f"""
import json, statistics, time, briefgen
{FRESH}
for fmt in {FORMATS!r}:
    briefgen.build({spec!r}, formats=fmt, out_dir={str(out)!r}, cache=CACHE)  # warm-up: imports, fonts
{AS_WATCH}
ts = {{fmt: [] for fmt in {FORMATS!r} + ({NEW_TEXT!r},)}}
for _ in range({repeats}):   # round-robin, as in interleaved()
    for fmt in ts:
        fresh(fmt == {NEW_TEXT!r})
        t = time.perf_counter(); briefgen.build({spec!r}, formats="docx,pdf" if fmt == {NEW_TEXT!r} else fmt, out_dir={str(out)!r}, cache=CACHE); ts[fmt].append(time.perf_counter() - t)
        collected(fmt)
print(json.dumps({{**{{fmt: statistics.median(t) for fmt, t in ts.items()}}, "collector": collector()}}))
"""
    done = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


LONG_MODULES = 13  # at their longest variant, about ten times the two-page brief's words
# Briefs between the two, built the same way for new text alongside them, to show how cost grows: 12
# modules are the nearest to ten times the words (10.3x; the notes then 13.9x, as the modules at their
# longest carry more notes a word than the short brief's two at their standard variant)
GROWTH_MODULES = (1, 4, 7, 10, 12)


def scaling_specs(folder: Path) -> tuple[Path, Path, dict[int, Path]]:
    """Analyst briefs built the same way (a word budget, so no page fitting in any): two modules at
    their standard variant, thirteen at their longest (about ten times the words), and the first
    few of those thirteen for the sizes between."""
    modules = sorted(p.stem for p in (REPO / "content" / "modules").glob("*.md"))
    briefs = [("short", ["actor-russia", "csto-legal-basis"], "standard", 700),
              ("long", modules[:LONG_MODULES], "extended", 9000)]
    briefs += [(f"long-{n}", modules[:n], "extended", 9000) for n in GROWTH_MODULES]
    out = {}
    for name, chosen, variant, words in briefs:
        spec = folder / f"{name}.yaml"
        lines = [f"title: The {name} brief", "date: 2026-11-23", "audience: analyst", f"length: {words} words",
                 "formats: [md]", "modules:"] + [f"  - {{id: {m}, variant: {variant}}}" for m in chosen]
        spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out[name] = spec
    return out["short"], out["long"], {n: out[f"long-{n}"] for n in GROWTH_MODULES}


def scaling(out: Path, repeats: int, short: Path, long: Path, between: dict[int, Path]) -> dict:
    """Warm docx,pdf builds of the short and the long brief, alternating in one process (so that
    both see the same spells of this machine), timed by the clock and in CPU time (which the other
    tenants of a shared machine move less), the same as whole CLI processes, and their words and
    notes; and the briefs between them, for new text, to show how cost grows (see growth())."""
    names = {"short": short, "long": long, **{spec.stem: spec for spec in between.values()}}
    code = f"""
import json, statistics, time, briefgen
specs = {{{", ".join(f"{name!r}: {str(spec)!r}" for name, spec in names.items())}}}
{FRESH}
for spec in specs.values():
    briefgen.build(spec, formats="docx,pdf,md", out_dir={str(out)!r}, cache=CACHE)   # warm-up; the .md is counted
{AS_WATCH}
# the short and the long brief cleared, then again; the briefs between for new text only
ts = {{(name, cleared): [] for name in specs for cleared in ((True, False) if name in ("short", "long") else (True,))}}
cpu = {{key: [] for key in ts}}
for _ in range({2 * repeats + 1}):   # a ratio of two medians is noisier than either: twice the samples
    for (name, cleared), times in ts.items():
        fresh(cleared)
        t, c = time.perf_counter(), time.process_time()
        briefgen.build(specs[name], formats="docx,pdf", out_dir={str(out)!r}, cache=CACHE)
        times.append(time.perf_counter() - t); cpu[name, cleared].append(time.process_time() - c)
        collected(name + (" cleared" if cleared else ""))
label = lambda name, cleared: name + (" cleared" if cleared else "")
print(json.dumps({{**{{label(*key): statistics.median(t) for key, t in ts.items()}}, "collector": collector(),
                  "cpu": {{label(*key): statistics.median(t) for key, t in cpu.items()}}}}))
"""
    done = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True)
    times = json.loads(done.stdout.strip().splitlines()[-1])
    col, cpu = times.pop("collector"), times.pop("cpu")
    # and as a user meets it: each a whole `briefgen build` process (every paragraph broken afresh)
    cold = {name: (lambda spec=spec: _run([PY, "-m", "briefgen", "build", str(spec), "-f", "docx,pdf",
                                           "-o", str(out), "--workspace", str(REPO)]))
            for name, spec in (("short", short), ("long", long))}
    for job in cold.values():
        job()
    cold_times, _ = interleaved(cold, repeats)
    (sw, sn), (lw, ln) = words_and_notes(out / "short.md"), words_and_notes(out / "long.md")
    new_text = lambda name: (*words_and_notes(out / f"{name}.md"), times[f"{name} cleared"], cpu[f"{name} cleared"])
    longer = {**{n: new_text(spec.stem) for n, spec in between.items()}, LONG_MODULES: new_text("long")}
    return {"growth": growth(new_text("short"), longer),
            "words_ratio": lw / sw, "notes_ratio": ln / max(1, sn), "time_ratio_docx_pdf": times["long"] / times["short"],
            "time_ratio_cache_cleared": times["long cleared"] / times["short cleared"],
            # with the collection each brief leaves for after its files are written
            "time_ratio_cache_cleared_with_collection": (times["long cleared"] + col["long cleared"])
                                                        / (times["short cleared"] + col["short cleared"]),
            "collection_after_brief_s": col,
            # the same in CPU time: what the builds themselves cost, whatever else the machine ran
            "cpu_time_ratio_docx_pdf": cpu["long"] / cpu["short"],
            "cpu_time_ratio_cache_cleared": cpu["long cleared"] / cpu["short cleared"], "cpu_s": cpu,
            "time_ratio_cold_cli": cold_times["long"] / cold_times["short"],
            "short_docx_pdf_s": times["short"], "long_docx_pdf_s": times["long"],
            "short_cache_cleared_s": times["short cleared"], "long_cache_cleared_s": times["long cleared"],
            "short_cold_cli_s": cold_times["short"], "long_cold_cli_s": cold_times["long"]}


def growth(short: tuple[int, int, float, float], longer: dict[int, tuple[int, int, float, float]]) -> dict:
    """How the cost of new text grows with the content: the short brief's and each longer one's
    (keyed by its number of modules) words, notes, time and CPU time, as multiples of the short
    one's; the straight line through them (each against words x), and where it is at exactly ten
    times the words."""
    sw, sn, st, sc = short
    points = [{"modules": n, "words_ratio": w / sw, "notes_ratio": k / max(1, sn), "time_ratio": t / st,
               "cpu_time_ratio": c / sc} for n, (w, k, t, c) in [("short", short), *sorted(longer.items())]]
    words = [p["words_ratio"] for p in points]
    at_ten = {}
    for key in ("time_ratio", "cpu_time_ratio", "notes_ratio"):
        ys = [p[key] for p in points]
        line = statistics.linear_regression(words, ys)
        at_ten[key] = {"slope": line.slope, "intercept": line.intercept,
                       "r_squared": statistics.correlation(words, ys) ** 2,
                       "at_ten_times_words": line.intercept + 10 * line.slope}
    return {"points": points, "fit": at_ten}


def words_and_notes(md: Path) -> tuple[int, int]:
    text = md.read_text(encoding="utf-8")
    return len(text.split()), text.count("\n[^")


def batch(folder: Path, count: int) -> dict[str, float]:
    specs = folder / "specs"
    specs.mkdir()
    text = TWO_PAGE.read_text(encoding="utf-8").replace("formats: [docx, pdf, md]", "formats: [docx, pdf]")
    for i in range(count):
        (specs / f"brief-{i:03d}.yaml").write_text(text.replace("EECAD/2026/118", f"EECAD/2026/{i:03d}"),
                                                   encoding="utf-8")
    out = folder / "regen-out"
    cmd = [PY, "-m", "briefgen", "regen", str(specs), "--out", str(out), "--jobs", "2", "--workspace", str(REPO)]
    first = _run(cmd)
    second = _run(cmd)
    # peak memory of a third, forced run, run as the console command runs it but in a fresh process of
    # its own, so that its peak is the parent's and its children's peak the largest worker's (this
    # script's own children include LibreOffice)
    probe = ("import resource, sys\nfrom briefgen import gcpolicy\nfrom briefgen.cli import main\n"
             "gcpolicy.one_shot()\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([PY, "-c", probe, *cmd[3:], "--force"], check=True, capture_output=True, text=True,
                          cwd=REPO)
    parent, worker = (int(v) / 1024 for v in done.stdout.split()[-2:])
    return {"specs": count, "build_s": first, "briefs_per_s": count / first, "noop_s": second,
            "parent_rss_mib": parent, "worker_rss_mib": worker}


def peak_memory(out: Path) -> float:
    code = ("import resource, briefgen; briefgen.build(%r, formats='docx,pdf', out_dir=%r); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)") % (str(TWO_PAGE), str(out))
    done = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True)
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def long_running_memory(out: Path, count: int) -> dict[str, float]:
    """RSS of one process building ``count`` briefs in a row under regen's collector policy (what a
    ``regen --jobs`` worker does): after the first, the tenth and the last, and the peak."""
    code = f"""
import json, resource, briefgen
from briefgen import gcpolicy
gcpolicy.long_running(own_process=True)
rss = lambda: int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 2**20
seen = {{}}
for i in range(1, {count} + 1):
    briefgen.build({str(TWO_PAGE)!r}, formats="docx,pdf", out_dir={str(out)!r})
    gcpolicy.after_brief()
    if i in (1, 10, {count}):
        seen[f"rss_after_{{i}}_mib"] = rss()
seen["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(seen))
"""
    done = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def pandoc_jobs(out: Path) -> dict[str, object]:
    """The same content (briefgen's Markdown of the brief) through pandoc, and pandoc + LibreOffice
    for a PDF, when they are installed."""
    if not shutil.which("pandoc"):
        return {}
    subprocess.run([PY, "-m", "briefgen", "build", str(TWO_PAGE), "-f", "md", "-o", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    md = out / (TWO_PAGE.stem + ".md")
    docx = out / "pandoc.docx"
    pandoc = lambda: _run(["pandoc", str(md), "-o", str(docx)])  # noqa: E731
    jobs: dict[str, object] = {"pandoc docx": pandoc}
    soffice = shutil.which("soffice")
    if soffice:
        profile = Path(tempfile.mkdtemp()) / "lo"
        conv = lambda: _run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",  # noqa: E731
                             "--convert-to", "pdf", "--outdir", str(out), str(docx)])
        pandoc()
        conv()   # the first start of a LibreOffice profile sets it up; not counted
        jobs["pandoc + libreoffice pdf"] = lambda: pandoc() + conv()
    return jobs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "latest.json")
    args = ap.parse_args()
    repeats = 3 if args.quick else 7
    count = 20 if args.quick else 100
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "platform": platform.platform()}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = tmp / "out"
        os.environ["BRIEFGEN_CACHE_DIR"] = str(tmp / "cache")   # inherited by every process started
        compile_bytecode()
        medians, minima = interleaved({**start_up_jobs(out), **pandoc_jobs(out)}, repeats)
        results["import_floor_s"] = {k[len("floor: "):]: v for k, v in medians.items() if k.startswith("floor: ")}
        results["cold_cli_s"] = {k[len("cold "):]: v for k, v in medians.items() if k.startswith("cold ")}
        results["cold_cli_min_s"] = {k[len("cold "):]: v for k, v in minima.items() if k.startswith("cold ")}
        results["pandoc"] = {k: v for k, v in medians.items() if k.startswith("pandoc")} or None
        # what briefgen adds to the libraries it needs: the part of a cold build that is its own, and
        # the measure that moves least with this machine's spells (both timed in the same rounds)
        results["cold_over_floor_s"] = {fmt: results["cold_cli_s"][fmt] - results["import_floor_s"][floor]
                                        for fmt, floor in REBUILD_FLOORS.items()}
        results["warm_inprocess_s"] = warm_inprocess(out, repeats)
        results["long"] = scaling(out, repeats, *scaling_specs(tmp))
        results["peak_rss_mib"] = peak_memory(out)
        results["long_running_memory"] = long_running_memory(out, count)
        results["batch"] = batch(tmp, count)
    cold, cmin, warm = results["cold_cli_s"], results["cold_cli_min_s"], results["warm_inprocess_s"]
    print(f"{'measure':<52}{'median':>10}{'min':>10}")
    for fmt in (*FORMATS, *VARIANTS):
        print(f"{'cold CLI ' + fmt:<52}{cold[fmt] * 1000:>7.0f} ms{cmin[fmt] * 1000:>7.0f} ms")
    print(f"{'cold CLI html over cold md (target: at most 50 ms)':<52}{(cold['html'] - cold['md']) * 1000:>7.0f} ms")
    for name, value in results["import_floor_s"].items():
        print(f"{'start-up floor: ' + name:<52}{value * 1000:>7.0f} ms")
    for fmt, value in results["cold_over_floor_s"].items():
        print(f"{'cold CLI ' + fmt + ' over its floor':<52}{value * 1000:>7.0f} ms")
    for fmt in (*FORMATS, NEW_TEXT):
        label = "docx,pdf, new text" if fmt == NEW_TEXT else fmt
        print(f"{'warm ' + label:<52}{warm[fmt] * 1000:>7.0f} ms   (then {warm['collector'][fmt] * 1000:.1f} ms "
              "collecting, after the files)")
    lg = results["long"]
    print(f"{'long brief: words x / notes x':<52}{lg['words_ratio']:>7.1f} / {lg['notes_ratio']:.1f}")
    print(f"{'long brief: time x, docx,pdf (new text)':<52}{lg['time_ratio_docx_pdf']:>7.1f} "
          f"({lg['time_ratio_cache_cleared']:.1f})")
    print(f"{'long brief: time x in CPU time, docx,pdf (new text)':<52}{lg['cpu_time_ratio_docx_pdf']:>7.1f} "
          f"({lg['cpu_time_ratio_cache_cleared']:.1f})")
    print(f"{'long brief: the same with the collection after each':<52}"
          f"{lg['time_ratio_cache_cleared_with_collection']:>7.1f}   (collecting "
          f"{lg['collection_after_brief_s']['short cleared'] * 1000:.1f} / "
          f"{lg['collection_after_brief_s']['long cleared'] * 1000:.1f} ms, new text)")
    print(f"{'long brief: time x per words x (new text)':<52}"
          f"{lg['time_ratio_docx_pdf'] / lg['words_ratio']:>7.2f} ({lg['time_ratio_cache_cleared'] / lg['words_ratio']:.2f})")
    gr = lg["growth"]
    print(f"{'growth, new text: brief, words x / notes x':<52}{'time x':>7}{'CPU x':>7}")
    for pt in gr["points"]:
        n = pt["modules"]
        name = "short" if n == "short" else f"{n} module" + ("s" if n > 1 else "")
        label = f"  {name}: {pt['words_ratio']:.1f} / {pt['notes_ratio']:.1f}"
        print(f"{label:<52}{pt['time_ratio']:>7.1f}{pt['cpu_time_ratio']:>7.1f}")
    tf, cf, nf = gr["fit"]["time_ratio"], gr["fit"]["cpu_time_ratio"], gr["fit"]["notes_ratio"]
    print(f"{'growth: the line through them, at 10x the words':<52}{tf['at_ten_times_words']:>7.1f}"
          f"{cf['at_ten_times_words']:>7.1f}   (time x = {tf['intercept']:.2f} + {tf['slope']:.2f} words x, "
          f"r2 {tf['r_squared']:.3f}; notes there x{nf['at_ten_times_words']:.1f})")
    print(f"{'long brief: time x, cold CLI docx,pdf (short / long)':<52}{lg['time_ratio_cold_cli']:>7.1f} "
          f"({lg['short_cold_cli_s'] * 1000:.0f} / {lg['long_cold_cli_s'] * 1000:.0f} ms)")
    b = results["batch"]
    print(f"{'batch regen --jobs 2':<52}{b['briefs_per_s']:>7.1f} briefs/s ({b['specs']} specs, {b['build_s']:.1f} s)")
    print(f"{'no-op regen':<52}{b['noop_s'] * 1000:>7.0f} ms")
    print(f"{'peak RSS, one docx,pdf build':<52}{results['peak_rss_mib']:>7.0f} MiB")
    lr = results["long_running_memory"]
    rss = " / ".join(f"{v:.0f}" for k, v in lr.items() if k.startswith("rss_after"))
    print(f"{'RSS building briefs in a row: 1st / 10th / last':<52}{rss:>12} MiB (peak {lr['peak_mib']:.0f})")
    print(f"{'peak RSS of the regen batch: parent / largest worker':<52}{b['parent_rss_mib']:>7.0f} / "
          f"{b['worker_rss_mib']:.0f} MiB")
    pd = results["pandoc"]
    if pd:
        print(f"{'pandoc md->docx':<52}{pd['pandoc docx'] * 1000:>7.0f} ms   (briefgen's cold docx, which also "
              f"fits the pages, takes x{cold['docx'] / pd['pandoc docx']:.1f} as long)")
        if "pandoc + libreoffice pdf" in pd:
            lo = pd["pandoc + libreoffice pdf"]
            print(f"{'pandoc + LibreOffice pdf':<52}{lo * 1000:>7.0f} ms   (briefgen's cold docx,pdf is "
                  f"x{lo / cold['docx,pdf']:.1f} faster; spec edited x{lo / cold['docx,pdf, ' + NEW]:.1f}, "
                  f"empty cache x{lo / cold['docx,pdf, ' + EMPTY]:.1f})")
    else:
        print("pandoc not installed: no comparison")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
