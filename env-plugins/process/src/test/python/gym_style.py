"""A gym-style environment served to densify through a page of adapter code (docs/process-protocol.md).

GymTextAdapter serves any environment with gym's API (reset(seed=...) -> (obs, info) and
step(a) -> (obs, reward, terminated, truncated, info)) and a discrete action space whose actions are named by
words. Slide, at the end, is a stand-in with that API, so that densify's tests need no gymnasium.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))

import densify_env  # noqa: E402


class GymTextAdapter:
    def __init__(self, make, words, describe, tasks, max_steps=50):
        self.make, self.words, self.describe, self.task_list = make, list(words), describe, tasks
        self.max_steps = max_steps
        self.env = None

    def tasks(self):
        return self.task_list

    def reset(self, task, seed):
        self.env, self.task_id = self.make(task), task["id"]
        self.obs, _ = self.env.reset(seed=seed % (1 << 64))  # gym seeds are not negative
        self.steps, self.ret, self.success, self.done = 0, 0.0, False, False
        return self._observation()

    def step(self, action):
        word, reward, terminated, truncated, info = action.strip().lower(), 0.0, False, False, {}
        if word in self.words:
            self.obs, reward, terminated, truncated, info = self.env.step(self.words.index(word))
        self.steps += 1
        self.ret += reward
        self.success = bool(info.get("success", terminated and reward > 0))
        cut = not terminated and (truncated or self.steps >= self.max_steps)
        self.done = terminated or cut
        extra = {} if word in self.words else {"signal.invalid_action": "true", "error": "use " + ", ".join(self.words)}
        return densify_env.step_result(self._observation(), reward, self.done, extra, "bootstrap" if cut else "none")

    def score(self):
        return densify_env.outcome(self.ret, self.success)

    def render(self):
        return "(no episode yet)" if self.env is None else self.describe(self.obs)

    def _observation(self):
        # the key holds the step count: the gym observation does not show how close the step limit is
        situation = "%s|%r" % (self.task_id, self.obs)
        return densify_env.observation(self.describe(self.obs), "%s|%d" % (situation, self.steps),
                                       () if self.done else self.words, situation)


class Slide:
    """gym's API on a row of cells: action 0 moves left, 1 right; reaching the last cell pays 1 and terminates."""

    def __init__(self, length):
        self.length = length

    def reset(self, seed=None):
        self.cell = (seed or 0) % (self.length - 1)
        return self.cell, {}

    def step(self, action):
        self.cell = max(0, min(self.length - 1, self.cell + (1 if action == 1 else -1)))
        at_end = self.cell == self.length - 1
        return self.cell, 1.0 if at_end else 0.0, at_end, False, {}


TASKS = {"train": [densify_env.task("slide-%d" % n, "Slide to the end.", {"length": n}) for n in (3, 4)],
         "held_out": [densify_env.task("slide-%d" % n, "Slide to the end.", {"length": n}) for n in (6,)]}

if __name__ == "__main__":
    densify_env.serve(lambda: GymTextAdapter(lambda task: Slide(int(task["metadata"]["length"])), ["left", "right"],
                                             lambda cell: "cell %d" % cell, TASKS, max_steps=8))
