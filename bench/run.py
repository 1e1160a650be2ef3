"""Runs cjm and its peers on the same generated shop data and prints the ratios.

    bench/setup.sh                      # once: chDB, DuckDB, pm4py, pyarrow in bench/.venv
    bench/.venv/bin/python bench/run.py --sizes 6m 60m

Per size: generate the data (seeded, cached in bench/data), import it into a cjm store
(timed, and DuckDB's CREATE TABLE AS ... ORDER BY beside it), then time the queries only
(loading excluded for every tool):
- funnel: `cjm funnel` (the whole process: store open by mmap, checks, kernel, JSON out)
  and the `warm_funnel` example (the same funnel in a process that opened the store once,
  as a server runs it) vs chDB windowFunnel on a MergeTree table ordered by (customer_id,
  ts), queried in its session; the level histograms must agree;
- data-backed map: `cjm build` of the shipped online-shop map (every measure, two personas)
  against that `cjm funnel` over the same stages (the target is at most 2x); the build's
  stage counts must agree with the funnel's levels;
- DFG + variants: `cjm dfg` + `cjm variants` vs DuckDB lag() OVER (PARTITION BY case ORDER
  BY ts) and string_agg(... ORDER BY ts) on an in-memory table;
- pm4py discover_dfg on the smallest size.
Then XES: `cjm import bpic2012.xes.gz --store DIR` (the whole process) vs pm4py.read_xes on
the same file (--xes; the copy in crates/cjm-events/tests/data by default).
Each timing is the best of --repeat runs. Results go to bench/results.json as well.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = {"6m": 6_000_000, "60m": 60_000_000}
SHOP_MAP = ROOT / "crates" / "cjm-insights" / "maps" / "online-shop.yaml"
STEPS = ["landing", "product_view", "add_to_cart", "checkout", "purchase"]
WINDOW_S = 7 * 86_400


def best_of(repeat, work):
    """Best wall time of `repeat` runs of `work()`, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def cjm(binary, *args):
    out = subprocess.run([binary, *args], check=True, capture_output=True, text=True)
    return out.stdout


def load_average():
    return os.getloadavg()[0]


def bench_size(name, events, args, binary, results):
    data = HERE / "data" / f"shop_{name}.parquet"
    if not data.exists():
        data.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "gen_shop.py"), "--events", str(events), "--out", str(data)], check=True)
    row = {"size": name, "load_before": load_average()}
    store = HERE / "data" / f"store_{name}"
    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    cjm(binary, "import", str(data), "--store", str(store))
    row["cjm_import_s"] = time.perf_counter() - start
    stats = cjm(binary, "stats", "--store", str(store), "--format", "json")
    row["events"] = json.loads(stats).get("events")

    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{data}') ORDER BY customer_id, ts")
    row["duckdb_import_s"] = time.perf_counter() - start

    # Funnel.
    funnel_args = ["funnel", "--store", str(store), "--steps", ",".join(STEPS), "--window", f"{WINDOW_S}s", "--format", "json"]
    row["cjm_funnel_s"], out = best_of(args.repeat, lambda: cjm(binary, *funnel_args))
    cjm_levels = json.loads(out)["levels"]
    # The same funnel in one process that opened the store once, as a server would run it
    # (chDB's query runs in its session too); its levels must agree as well.
    warm = json.loads(cjm(args.warm_funnel, str(store), ",".join(STEPS), str(WINDOW_S), str(args.repeat)))
    row["cjm_funnel_warm_s"] = warm["best_s"]
    row["cjm_store_open_s"] = warm["open_s"]

    # The data-backed map over the same stages (its stages are the funnel's steps).
    with tempfile.TemporaryDirectory(prefix="cjm-bench-build-") as out_dir:
        out = Path(out_dir) / "shop.json"
        build_args = ["build", str(SHOP_MAP), "--store", str(store), "-o", str(out), "--window", str(WINDOW_S)]
        row["cjm_build_s"], _ = best_of(args.repeat, lambda: cjm(binary, *build_args))
        stages = json.loads(out.with_suffix(".insights.json").read_text())["stages"]
        reached = [s["reached"] for s in stages if not s["outcome"]]
        row["build_stages_agree"] = reached == [sum(cjm_levels[k + 1 :]) for k in range(len(STEPS))]

    import chdb
    from chdb import session

    chdir = tempfile.mkdtemp(prefix="cjm-bench-chdb-")
    sess = session.Session(chdir)
    sess.query("CREATE DATABASE IF NOT EXISTS b")
    sess.query(
        "CREATE TABLE b.events (customer_id String, ts DateTime64(6, 'UTC'), event LowCardinality(String), "
        "channel LowCardinality(String)) ENGINE = MergeTree ORDER BY (customer_id, ts)"
    )
    sess.query(f"INSERT INTO b.events SELECT customer_id, ts, event, channel FROM file('{data}', Parquet)")
    sess.query("OPTIMIZE TABLE b.events FINAL")
    conditions = ", ".join(f"event = '{s}'" for s in STEPS)
    query = (
        f"SELECT level, count() AS n FROM (SELECT customer_id, windowFunnel({WINDOW_S * 1_000_000})"
        f"(toUInt64(toUnixTimestamp64Micro(ts)), {conditions}) AS level FROM b.events GROUP BY customer_id) "
        "GROUP BY level ORDER BY level FORMAT JSONCompact"
    )
    row["chdb_funnel_s"], out = best_of(args.repeat, lambda: sess.query(query))
    histogram = [0] * (len(STEPS) + 1)
    for level, n in json.loads(str(out))["data"]:
        histogram[int(level)] = int(n)
    row["funnel_levels_agree"] = histogram == cjm_levels == warm["levels"]
    sess.close()
    shutil.rmtree(chdir, ignore_errors=True)

    # DFG + variants.
    def cjm_dfg_variants():
        cjm(binary, "dfg", "--store", str(store), "--format", "json")
        return cjm(binary, "variants", "--store", str(store), "--top", "20", "--format", "json")

    row["cjm_dfg_variants_s"], _ = best_of(args.repeat, cjm_dfg_variants)
    dfg_sql = """
        SELECT prev, event, count(*) AS n, avg(d) / 1e6, median(d) / 1e6, min(d) / 1e6, max(d) / 1e6
        FROM (SELECT event, lag(event) OVER w AS prev, epoch_us(ts) - epoch_us(lag(ts) OVER w) AS d
              FROM t WINDOW w AS (PARTITION BY customer_id ORDER BY ts))
        WHERE prev IS NOT NULL GROUP BY prev, event ORDER BY n DESC"""
    variants_sql = """
        SELECT variant, count(*) AS n, median(d) / 1e6
        FROM (SELECT string_agg(event, ',' ORDER BY ts) AS variant, epoch_us(max(ts)) - epoch_us(min(ts)) AS d
              FROM t GROUP BY customer_id)
        GROUP BY variant ORDER BY n DESC LIMIT 20"""

    def duck():
        con.execute(dfg_sql).fetchall()
        return con.execute(variants_sql).fetchall()

    row["duckdb_dfg_variants_s"], _ = best_of(args.repeat, duck)
    con.close()

    if name == args.pm4py_size:
        import pm4py
        import pyarrow.parquet as pq

        frame = pq.read_table(data).to_pandas()
        frame["event"] = frame["event"].astype(str)
        frame = pm4py.format_dataframe(frame, case_id="customer_id", activity_key="event", timestamp_key="ts")
        row["pm4py_dfg_s"], _ = best_of(1, lambda: pm4py.discover_dfg(frame))
        del frame
    row["load_after"] = load_average()
    results.append(row)
    return row


def bench_xes(args, binary):
    """cjm's whole-process XES import against pm4py.read_xes on the same file."""
    import pm4py

    xes = Path(args.xes)
    row = {"file": xes.name, "load_before": load_average()}
    store = HERE / "data" / "store_xes"

    def cjm_import():
        shutil.rmtree(store, ignore_errors=True)
        return cjm(binary, "import", str(xes), "--store", str(store))

    row["cjm_xes_s"], _ = best_of(args.repeat, cjm_import)
    stats = json.loads(cjm(binary, "stats", "--store", str(store), "--format", "json"))
    row["events"] = stats.get("events")
    shutil.rmtree(store, ignore_errors=True)
    row["pm4py_read_xes_s"], log = best_of(1, lambda: pm4py.read_xes(str(xes)))
    row["pm4py_events"] = len(log)
    row["load_after"] = load_average()
    return row


def ratio(a, b):
    return f"{b / a:.1f}x" if a and b else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="*", default=["6m", "60m"], choices=sorted(SIZES), help="sizes to run (none: only the XES row)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pm4py-size", default="6m", help="size to run pm4py on ('none' to skip)")
    parser.add_argument("--cjm", help="cjm binary (default: build the release binary)")
    parser.add_argument(
        "--xes",
        default=str(ROOT / "crates" / "cjm-events" / "tests" / "data" / "bpic2012.xes.gz"),
        help="XES log for the cjm import vs pm4py.read_xes row ('none' to skip)",
    )
    parser.add_argument("--warm-funnel", help="the warm_funnel example binary (default: build it)")
    args = parser.parse_args()
    binary = args.cjm
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not binary:
        subprocess.run(["cargo", "build", "--release", "-p", "cjm"], cwd=ROOT, check=True)
        binary = str(target / "release" / "cjm")
    if not args.warm_funnel:
        subprocess.run(["cargo", "build", "--release", "-p", "cjm-events", "--example", "warm_funnel"], cwd=ROOT, check=True)
        args.warm_funnel = str(target / "release" / "examples" / "warm_funnel")
    results = []
    for name in args.sizes:
        row = bench_size(name, SIZES[name], args, binary, results)
        print(json.dumps(row), flush=True)
    xes = None
    if args.xes != "none":
        xes = bench_xes(args, binary)
        print(json.dumps(xes), flush=True)
    (HERE / "results.json").write_text(json.dumps({"sizes": results, "xes": xes}, indent=2) + "\n")
    print(f"\nmachine: {os.cpu_count()} cores; load average is the 1-minute figure around each run\n")
    header = f"{'size':>5} {'events':>11} {'load':>5} | {'import cjm':>10} {'duckdb':>7} | {'funnel cjm':>10} {'warm':>7} {'chDB':>7} {'ratio':>6} {'warm':>6} {'agree':>5} | {'build':>7} {'/funnel':>7} {'agree':>5} | {'dfg+var cjm':>11} {'duckdb':>7} {'ratio':>6} | {'pm4py dfg':>9}"
    print(header)
    print("-" * len(header))
    for r in results:
        pm = r.get("pm4py_dfg_s")
        print(
            f"{r['size']:>5} {r['events'] or 0:>11,} {r['load_before']:>5.1f} | {r['cjm_import_s']:>9.2f}s {r['duckdb_import_s']:>6.2f}s | "
            f"{r['cjm_funnel_s']:>9.3f}s {r['cjm_funnel_warm_s']:>6.3f}s {r['chdb_funnel_s']:>6.3f}s {ratio(r['cjm_funnel_s'], r['chdb_funnel_s']):>6} "
            f"{ratio(r['cjm_funnel_warm_s'], r['chdb_funnel_s']):>6} {str(r['funnel_levels_agree']):>5} | "
            f"{r['cjm_build_s']:>6.3f}s {r['cjm_build_s'] / r['cjm_funnel_s']:>6.2f}x {str(r['build_stages_agree']):>5} | "
            f"{r['cjm_dfg_variants_s']:>10.3f}s {r['duckdb_dfg_variants_s']:>6.2f}s {ratio(r['cjm_dfg_variants_s'], r['duckdb_dfg_variants_s']):>6} | "
            + (f"{pm:>8.2f}s ({ratio(r['cjm_dfg_variants_s'], pm)})" if pm else f"{'-':>9}")
        )
    if xes:
        print(
            f"\nxes {xes['file']}: {xes['events'] or 0:,} events (pm4py {xes['pm4py_events']:,}), load {xes['load_before']:.1f}: "
            f"cjm import {xes['cjm_xes_s']:.2f}s, pm4py.read_xes {xes['pm4py_read_xes_s']:.2f}s, "
            f"ratio {ratio(xes['cjm_xes_s'], xes['pm4py_read_xes_s'])}"
        )


if __name__ == "__main__":
    main()
