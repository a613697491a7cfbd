"""Serve a Python environment to densify over its JSON-lines process protocol (docs/process-protocol.md).

Standard library only; copy this file next to your environment. densify starts the server with
``env=process env.command="python3 my_env.py"`` and talks to it over standard input and output, one JSON object
per line each way. Write your environment as a class with these methods and call ``serve(MyEnv)``:

    tasks()              -> {"train": [task(...), ...], "held_out": [task(...), ...]}
    reset(task, seed)    -> observation(...)          task is a dict {"id", "instruction", "metadata"}
    step(action)         -> step_result(...)          action is the agent's text
    score()              -> outcome(reward, success)
    render()             -> str
  optional:
    get_state()          -> any JSON value            enables fork: densify restores it in a new server process
    set_state(state)                                  the other half of fork
    demonstrate()        -> [action, ...] or None     an expert plan from the current state (supervised warm start)

The loop itself enforces the parts of the contract every environment shares: step before reset or after the
episode is done is refused as an illegal state, whatever the environment does. Raise IllegalArgument for an
argument the environment refuses, IllegalState for a call in the wrong state. Anything else an environment raises
is reported to densify as a failure, with its traceback on standard error. While serving, ``print`` writes to
standard error: standard output belongs to the protocol.
"""
import json
import sys
import traceback

PROTOCOL = 1


class IllegalState(Exception):
    """A call in a state that does not allow it (densify raises IllegalStateException)."""


class IllegalArgument(Exception):
    """An argument the environment refuses (densify raises IllegalArgumentException)."""


class Unsupported(Exception):
    """An operation the server declines, such as fork (densify raises UnsupportedOperationException)."""


def task(id, instruction, metadata=None):
    return {"id": str(id), "instruction": str(instruction),
            "metadata": {str(k): str(v) for k, v in (metadata or {}).items()}}


def observation(text, state_key, admissible_actions=(), anchor_key=None):
    """state_key must identify the state exactly, task included; anchor_key names the situation without counters."""
    result = {"text": str(text), "state_key": str(state_key), "admissible_actions": [str(a) for a in admissible_actions]}
    if anchor_key is not None:
        result["anchor_key"] = str(anchor_key)
    return result


def step_result(obs, reward, done, info=None, truncation="none"):
    """truncation: "none", "bootstrap" (cut by a limit the state does not show) or "budget_in_state"."""
    return {"observation": obs, "reward": float(reward), "done": bool(done),
            "info": {str(k): str(v) for k, v in (info or {}).items()}, "truncation": truncation}


def outcome(reward, success):
    return {"reward": float(reward), "success": bool(success)}


def signals(progress, invalid_action=False, invalid_state=False):
    """The info entries a reward designer reads (dev.densify.api.env.Signals): progress in [0, 1], invalid flags."""
    info = {"signal.progress": repr(float(progress))}
    if invalid_action:
        info["signal.invalid_action"] = "true"
    if invalid_state:
        info["signal.invalid_state"] = "true"
    return info


class _Session:
    """One environment and the episode flags the protocol enforces for it."""

    def __init__(self, env):
        self.env = env
        self.started = False
        self.done = False

    def hello(self, request):
        wanted = request.get("protocol")
        if wanted != PROTOCOL:
            raise Unsupported("protocol %r is not supported; this server speaks %d" % (wanted, PROTOCOL))
        capabilities = [name for name in ("fork", "demonstrate") if self._has(name)]
        return {"protocol": PROTOCOL, "name": type(self.env).__name__, "capabilities": capabilities}

    def _has(self, capability):
        if capability == "fork":
            return callable(getattr(self.env, "get_state", None)) and callable(getattr(self.env, "set_state", None))
        return callable(getattr(self.env, capability, None))

    def tasks(self, request):
        return self.env.tasks()

    def reset(self, request):
        result = self.env.reset(request["task"], int(request["seed"]))
        self.started, self.done = True, False
        return result

    def step(self, request):
        if not self.started:
            raise IllegalState("no episode has started; call reset first")
        if self.done:
            raise IllegalState("the episode is done; call reset to start another")
        action = request["action"]
        if not isinstance(action, str):
            raise IllegalArgument("action must be a string, got %r" % (action,))
        result = self.env.step(action)
        self.done = bool(result.get("done"))
        return result

    def score(self, request):
        if not self.started:
            raise IllegalState("no episode has started; call reset first")
        return self.env.score()

    def render(self, request):
        return {"text": str(self.env.render())}

    def fork(self, request):
        if not self._has("fork"):
            raise Unsupported("%s has no get_state/set_state" % type(self.env).__name__)
        return {"state": {"started": self.started, "done": self.done, "env": self.env.get_state()}}

    def restore(self, request):
        if not self._has("fork"):
            raise Unsupported("%s has no get_state/set_state" % type(self.env).__name__)
        state = request["state"]
        self.env.set_state(state["env"])
        self.started, self.done = bool(state["started"]), bool(state["done"])
        return {}

    def demonstrate(self, request):
        if not self._has("demonstrate"):
            raise Unsupported("%s has no demonstrate()" % type(self.env).__name__)
        plan = self.env.demonstrate() if self.started and not self.done else None
        return {"actions": None if plan is None else [str(a) for a in plan]}

    def close(self, request):
        close = getattr(self.env, "close", None)
        if callable(close):
            close()
        return {}


_OPS = ("hello", "tasks", "reset", "step", "score", "render", "fork", "restore", "demonstrate", "close")


def _error(kind, message):
    return {"kind": kind, "message": message}


def serve(make_env, input=None, output=None):
    """Answers densify's requests until close or the end of input. make_env() builds the environment once."""
    input = input or sys.stdin
    output = output or sys.stdout
    sys.stdout = sys.stderr  # a stray print must never corrupt the protocol
    session = _Session(make_env())
    for line in input:
        if not line.strip():
            continue
        request_id, op = None, None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            op = request.get("op")
            if op not in _OPS:
                raise IllegalArgument("unknown op %r; known ops are %s" % (op, ", ".join(_OPS)))
            response = {"id": request_id, "result": getattr(session, op)(request)}
        except IllegalState as e:
            response = {"id": request_id, "error": _error("illegal_state", str(e))}
        except IllegalArgument as e:
            response = {"id": request_id, "error": _error("illegal_argument", str(e))}
        except Unsupported as e:
            response = {"id": request_id, "error": _error("unsupported", str(e))}
        except Exception as e:  # the environment's own failure: report it and keep serving
            traceback.print_exc(file=sys.stderr)
            response = {"id": request_id, "error": _error("failed", "%s: %s" % (type(e).__name__, e))}
        output.write(json.dumps(response, separators=(",", ":")) + "\n")
        output.flush()
        if op == "close" and "result" in response:
            return
