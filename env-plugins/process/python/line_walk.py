"""An example densify environment in Python: walk along a line of cells to the goal.

The agent reads where the goal is ("goal 2 right; steps left 7") and writes "left" or "right". Training lines
are short; held-out lines are longer, so their goals lie farther away than any training goal. Run it with

    densify train env=process env.command="python3 line_walk.py"

(densify_env.py must sit next to it). Standard library only.
"""
import random

import densify_env

TRAIN_LENGTHS = (4, 5, 6)
HELD_OUT_LENGTHS = (8, 9)
ACTIONS = ("left", "right")


class LineWalk:
    def __init__(self):
        self.task_id = None
        self.length = 0
        self.goal = 0
        self.position = 0
        self.steps_left = 0
        self.reached = False

    def tasks(self):
        def line(split, length, goal):
            return densify_env.task("%s-%d-%d" % (split, length, goal), "Walk to the goal.",
                                    {"length": length, "goal": goal})
        return {"train": [line("walk", n, g) for n in TRAIN_LENGTHS for g in range(n)],
                "held_out": [line("far", n, g) for n in HELD_OUT_LENGTHS for g in (0, n - 1)]}

    def reset(self, task, seed):
        self.task_id = task["id"]
        self.length = int(task["metadata"]["length"])
        self.goal = int(task["metadata"]["goal"])
        starts = [cell for cell in range(self.length) if cell != self.goal]
        self.position = random.Random(seed).choice(starts)
        self.steps_left = 2 * self.length
        self.reached = False
        return self._observation()

    def step(self, action):
        move = action.strip().lower()
        invalid = move not in ACTIONS
        if not invalid:
            self.position = min(self.length - 1, max(0, self.position + (1 if move == "right" else -1)))
        self.steps_left -= 1
        self.reached = self.position == self.goal
        done = self.reached or self.steps_left == 0
        info = densify_env.signals(1 - abs(self.goal - self.position) / (self.length - 1), invalid_action=invalid)
        if invalid:
            info["error"] = "unknown action %r; use left or right" % action[:40]
        truncation = "budget_in_state" if done and not self.reached else "none"
        return densify_env.step_result(self._observation(), 1.0 if self.reached else 0.0, done, info, truncation)

    def score(self):
        return densify_env.outcome(1.0 if self.reached else 0.0, self.reached)

    def render(self):
        if self.task_id is None:
            return "(no episode yet)"
        cells = ["A" if c == self.position else "G" if c == self.goal else "." for c in range(self.length)]
        return "".join(cells) + "  steps left %d" % self.steps_left

    def get_state(self):
        return dict(vars(self))

    def set_state(self, state):
        vars(self).update(state)

    def demonstrate(self):
        distance = self.goal - self.position
        return ["right" if distance > 0 else "left"] * abs(distance)

    def _observation(self):
        distance = self.goal - self.position
        where = "here" if distance == 0 else "%d %s" % (abs(distance), "right" if distance > 0 else "left")
        anchor = "%s@%d" % (self.task_id, self.position)
        over = self.reached or self.steps_left == 0
        return densify_env.observation("goal %s; steps left %d" % (where, self.steps_left),
                                       "%s left=%d" % (anchor, self.steps_left),
                                       () if over else ACTIONS, anchor)


if __name__ == "__main__":
    densify_env.serve(LineWalk)
