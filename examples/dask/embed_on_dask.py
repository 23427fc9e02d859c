#!/usr/bin/env python3
"""Embed a large image collection with Winnow on a Dask cluster, then import the vectors.

Each Dask task runs one `winnow embed-shard` command on a worker: the shard contract is a file
list, a shard index I/N and an output folder every worker can write to (shared storage). The
shards are self-describing (.npy + .json with the model's hash), so `winnow vectors import`
checks that they belong together before anything reaches the project.

    python3 embed_on_dask.py --files files.txt --out /shared/shards --shards 64 \
        --scheduler tcp://scheduler:8786 --winnow "npx winnow" --project pets.winnow

Without --scheduler a LocalCluster with --local-workers processes runs on this machine.
"""
import argparse
import json
import shlex
import subprocess
import sys
import time


def embed_shard(winnow, files, index, count, out, model, device, batch):
    """One task: runs on a Dask worker, returns the command's JSON result."""
    cmd = [*winnow, "embed-shard", "--files", files, "--shard", f"{index}/{count}", "--out", out,
           "--model", model, "--device", device, "--json"]
    if batch:
        cmd += ["--batch", str(batch)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shard {index}/{count} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--files", required=True, help="text file, one image path per line")
    p.add_argument("--out", required=True, help="folder for the shards, writable by every worker")
    p.add_argument("--shards", type=int, required=True, help="number of shards (tasks)")
    p.add_argument("--scheduler", help="address of a running Dask scheduler")
    p.add_argument("--local-workers", type=int, default=2, help="LocalCluster size when no --scheduler")
    p.add_argument("--winnow", default="npx winnow", help='how workers run Winnow, e.g. "node /opt/winnow/bin/winnow.mjs"')
    p.add_argument("--model", default="builtin")
    p.add_argument("--device", default="auto")
    p.add_argument("--batch", type=int)
    p.add_argument("--project", help="import the merged shards into this project at the end")
    args = p.parse_args()

    from dask.distributed import Client, LocalCluster

    winnow = shlex.split(args.winnow)
    started = time.time()
    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(embed_shard, [winnow] * args.shards, [args.files] * args.shards, range(args.shards),
                             [args.shards] * args.shards, [args.out] * args.shards, [args.model] * args.shards,
                             [args.device] * args.shards, [args.batch] * args.shards, pure=False, retries=1)
        results = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    embed_seconds = time.time() - started
    summary = {"shards": len(results), "embedded": sum(r["embedded"] for r in results),
               "failed": sum(len(r["failed"]) for r in results), "embed_seconds": round(embed_seconds, 2)}
    if args.project:
        done = subprocess.run([*winnow, "vectors", "import", args.out, "--project", args.project, "--json"], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"import failed: {done.stderr.strip()}")
        summary["import"] = json.loads(done.stdout)
    summary["wall_seconds"] = round(time.time() - started, 2)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
