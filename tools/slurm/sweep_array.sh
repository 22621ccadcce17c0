#!/usr/bin/env bash
# One shard of a poreflux sweep per Slurm array task (docs/STUDIES.md, "Beyond one machine").
#
#   sbatch --array=0-7 tools/slurm/sweep_array.sh configs/sweep_vitamin_c_needles.toml
#   # when all tasks are done (or as a dependent job: sbatch --dependency=afterok:<jobid> ...):
#   build/poreflux merge -o sweep_vitamin_c_needles.h5 sweep_vitamin_c_needles.shard-*-of-8.h5
#
# The array's size is the number of shards: task i (counted from the array's first index) runs
# shard i+1 of N with `poreflux sweep --shard K/N`, which takes every N-th case of the plan, so
# the shards are deterministic and need no scheduler of ours. A task that is requeued or rerun
# resumes: the cases it finished are kept in its parts folder (OUT.parts) and not run again.
# One shard per GPU: request one (--gres=gpu:1) and pass --backend cuda in POREFLUX_ARGS.
#
# Settings (environment): POREFLUX (the binary, default build/poreflux), PREFIX (output name
# before .shard-K-of-N.h5, default: the config's stem), POREFLUX_ARGS (more sweep options).
# The logic is tested without Slurm (tests/test_studies.cpp) by setting the array variables.
#
#SBATCH --job-name=poreflux-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=04:00:00
#SBATCH --output=poreflux-sweep-%A_%a.log
set -euo pipefail

config=${1:?usage: sbatch --array=0-(N-1) $0 STUDY.toml}
: "${SLURM_ARRAY_TASK_ID:?not an array task: submit with sbatch --array=0-(N-1)}"
: "${SLURM_ARRAY_TASK_COUNT:?not an array task: submit with sbatch --array=0-(N-1)}"
first=${SLURM_ARRAY_TASK_MIN:-0}
shard=$((SLURM_ARRAY_TASK_ID - first + 1))
count=$SLURM_ARRAY_TASK_COUNT
# A stepped array (--array=0-15:2) has gaps that no shard numbering can fill.
if [[ -n "${SLURM_ARRAY_TASK_STEP:-}" && "${SLURM_ARRAY_TASK_STEP}" != 1 ]]; then
  echo "sweep_array: the array has step $SLURM_ARRAY_TASK_STEP; use a contiguous --array=0-(N-1)" >&2
  exit 2
fi
if ((shard < 1 || shard > count)); then
  echo "sweep_array: task $SLURM_ARRAY_TASK_ID is outside the array ($first..$((first + count - 1))); use a contiguous --array" >&2
  exit 2
fi

poreflux=${POREFLUX:-build/poreflux}
prefix=${PREFIX:-$(basename "${config%.toml}")}
jobs=${SLURM_CPUS_PER_TASK:-1}
output="$prefix.shard-$shard-of-$count.h5"
echo "sweep_array: job ${SLURM_JOB_ID:-?} task $SLURM_ARRAY_TASK_ID -> shard $shard/$count of $config, $jobs job(s)"
# Resubmitting the whole array after some tasks failed: the finished shards are done, not
# errors (an error would hold back a merge waiting on --dependency=afterok).
if [[ -s "$output" ]]; then
  echo "sweep_array: $output exists: shard $shard/$count is done (delete it to run the shard again)"
  exit 0
fi
# Not --force: a rerun of this task resumes its own parts instead of discarding them.
# shellcheck disable=SC2086
exec "$poreflux" sweep "$config" --shard "$shard/$count" --jobs "$jobs" \
  -o "$output" ${POREFLUX_ARGS:-}
