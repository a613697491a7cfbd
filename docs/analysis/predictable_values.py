#!/usr/bin/env python3
"""How much of the outcome variance a value function could explain, from the trajectories run folders sampled.

Reads trajectories/iter-*.jsonl.gz of the run folders given (every step's observation, its state key without
counters `anchor`, the critic's V as trained with, and the episode's outcome) and prints, as explained variance of
the outcome at every step (1 - Var(outcome - prediction) / Var(outcome)):

- critic: the V each step was trained with (predicted before the critic was fitted on its batch);
- causal: per run, the mean outcome of the states with the same observation (or anchor) in the run's EARLIER
  iterations, the run's mean where there is none: what a critic that memorised everything it had seen would say;
- pooled: the mean outcome of the same observation over all the folders' trajectories but its own episode: what
  the same memory would say with the data of every run given (they come from similar policies).

Write every trajectory with trainer.sample_trajectories=16 (the iteration's episodes); with fewer the causal means
see fewer episodes than the critic did. Standard library only:
    python3 docs/analysis/predictable_values.py runs/ablate-*/sparse-seed*
"""
import collections
import glob
import gzip
import json
import sys


def explained(targets, predictions):
    n = len(targets)
    mean = sum(targets) / n
    total = sum((t - mean) ** 2 for t in targets) / n
    residuals = [t - p for t, p in zip(targets, predictions)]
    rmean = sum(residuals) / n
    return 1 - sum((r - rmean) ** 2 for r in residuals) / n / total


def steps(folder):
    for path in sorted(glob.glob(folder + "/trajectories/iter-*.jsonl.gz")):
        iteration = int(path[-14:-9])
        with gzip.open(path, "rt") as lines:
            for line in lines:
                episode = json.loads(line)
                outcome = episode["outcome"]["reward"]
                for step in episode["steps"]:
                    yield dict(run=folder, iteration=iteration, episode=episode["id"], obs=step["obs"],
                               anchor=step["anchor"], value=step["value"], outcome=outcome)


def causal(data, key):
    predictions = []
    by_run = collections.defaultdict(list)
    for s in data:
        by_run[s["run"]].append(s)
    targets = []
    for run_steps in by_run.values():
        sums = collections.defaultdict(lambda: [0.0, 0])
        seen = [0.0, 0]
        by_iteration = collections.defaultdict(list)
        for s in run_steps:
            by_iteration[s["iteration"]].append(s)
        for i in sorted(by_iteration):
            for s in by_iteration[i]:
                total, count = sums[key(s)]
                targets.append(s["outcome"])
                predictions.append(total / count if count else (seen[0] / seen[1] if seen[1] else 0.5))
            for s in by_iteration[i]:
                sums[key(s)][0] += s["outcome"]
                sums[key(s)][1] += 1
                seen[0] += s["outcome"]
                seen[1] += 1
    return explained(targets, predictions)


def pooled(data, key):
    sums = collections.defaultdict(lambda: [0.0, 0])
    own = collections.defaultdict(lambda: [0.0, 0])
    for s in data:
        for table, k in ((sums, key(s)), (own, (key(s), s["run"], s["episode"]))):
            table[k][0] += s["outcome"]
            table[k][1] += 1
    mean = sum(s["outcome"] for s in data) / len(data)
    predictions = []
    for s in data:
        total, count = sums[key(s)]
        mine, n = own[(key(s), s["run"], s["episode"])]
        predictions.append((total - mine) / (count - n) if count > n else mean)
    return explained([s["outcome"] for s in data], predictions)


def main(folders):
    if not folders:
        sys.exit("usage: predictable_values.py RUN_FOLDER...")
    data = [s for folder in folders for s in steps(folder)]
    if not data:
        sys.exit("no trajectories under " + " ".join(folders) + "/trajectories")
    observation = lambda s: s["obs"]
    anchor = lambda s: s["anchor"]
    print("steps %d of %d runs" % (len(data), len(folders)))
    print("critic (as trained with)      %.3f" % explained([s["outcome"] for s in data], [s["value"] for s in data]))
    print("causal, same observation      %.3f" % causal(data, observation))
    print("causal, same anchor state     %.3f" % causal(data, anchor))
    print("pooled, same observation      %.3f" % pooled(data, observation))
    print("pooled, same anchor state     %.3f" % pooled(data, anchor))


if __name__ == "__main__":
    main(sys.argv[1:])
