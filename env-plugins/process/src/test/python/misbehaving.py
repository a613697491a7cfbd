"""The example environment with one planted fault, chosen by the first argument; for densify's fault tests."""
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))

import densify_env  # noqa: E402
from line_walk import LineWalk  # noqa: E402

MODE = sys.argv[1]
RUN = "%x" % random.SystemRandom().getrandbits(64)


class Misbehaving(LineWalk):
    def step(self, action):
        if MODE == "hang-on-step":
            time.sleep(3600)
        if MODE == "exit-on-step":
            sys.stderr.write("about to crash in step\n")
            sys.stderr.flush()
            os._exit(3)
        if MODE == "garbage-on-step":
            sys.__stdout__.write("this is not json\n")
            sys.__stdout__.flush()
        if MODE == "raise-on-step":
            raise ValueError("the planted failure")
        if MODE == "print-in-step":
            print("a stray print that must not reach the protocol")
        result = super().step(action)
        if MODE == "wrong-fields":
            del result["observation"]["state_key"]
        if MODE == "nan-reward":
            result["reward"] = float("nan")
        return result

    def _observation(self):
        observation = super()._observation()
        if MODE == "nondeterministic":  # another process, another state: the key holds a token of this process
            observation["state_key"] += " run=" + RUN
        return observation


if MODE in ("no-fork", "nondeterministic"):
    Misbehaving.get_state = None
    Misbehaving.set_state = None

if __name__ == "__main__":
    if MODE == "slow-start":
        time.sleep(3600)
    if MODE == "old-protocol":
        densify_env.PROTOCOL = 0
    if MODE == "garbage-at-start":
        sys.stdout.write("Welcome to my environment!\n")
        sys.stdout.flush()
    densify_env.serve(Misbehaving)
