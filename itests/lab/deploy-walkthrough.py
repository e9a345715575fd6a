#!/usr/bin/env python3
"""Walks through docs/DEPLOY.md, "Trying it on one machine: the lab", as a user would, so that the page stays true.

Runs the commands of the section's first sh block as they are written (but the build: run `mvn -q install
-DskipTests` first), starts each node with its line of the second block in a tmux window of its own (the
interactive shell a user gets in a terminal), types every `name> command` line of the transcript at that
node's prompt, and waits until the node has printed each line shown after it (and each `name: line` it prints
by itself), with this run's peer and group IDs in place of the page's, and any message ID and time. A line
that does not come within 60 s fails the walk-through with what the node printed. The lab is removed at the
end, failed or not: the nodes are stopped (SIGHUP, as a closed terminal does; SIGKILL after 30 s), then the
namespaces and the data directory.

Usage, as root, from anywhere:  python3 itests/lab/deploy-walkthrough.py
Needs: Linux, iproute2, iptables, tmux, and the distribution built (distribution/target/ringchat).
Exit status: 0 when every line came as the page shows, 1 when one did not or the lab could not be made.
"""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, "docs", "DEPLOY.md")
SECTION = "## Trying it on one machine: the lab"
SESSION = "ringchat-deploy-walkthrough-%d" % os.getpid()
LINE_WAIT = 60
START_WAIT = 120
# commands that change nothing: typed again while their answer is not yet the page's (reachability, confirmations)
RETYPED = ("id", "history")
RETYPE_AFTER = 5

PEER_ID = r"[a-z2-7]{52}"
GROUP_ID = r"[0-9a-f]{64}"
VARIABLE = re.compile(r"(%s|%s|[0-9a-f]{32}|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|\b[a-z2-7]{8}\b)" % (PEER_ID, GROUP_ID))


class WalkthroughFailed(Exception):
    pass


def run(command, check=True, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        raise WalkthroughFailed("%s failed (%d): %s" % (" ".join(command), result.returncode,
                                                        (result.stdout + result.stderr).strip()))
    return result


def blocks(text):
    """The fenced blocks of the section: (language, lines)."""
    found = []
    for match in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.S | re.M):
        found.append((match.group(1), match.group(2).splitlines()))
    return found


class Lab:
    def __init__(self, setup, starts):
        self.setup = [line for line in setup if not line.startswith("mvn ")]
        self.starts = [line for line in starts if line.startswith("ip netns exec ")]
        self.namespaces = re.findall(r"ip netns add (\w+)", "\n".join(setup))
        data = re.search(r"rm -rf (\S+)", "\n".join(setup))
        self.data = data.group(1) if data else None
        self.nodes = [line.split()[3] for line in self.starts]
        self.owned = False  # whether the namespaces are this run's, to delete

    def build(self):
        existing = run(["ip", "netns", "list"]).stdout.split()
        taken = [ns for ns in self.namespaces if ns in existing]
        if taken:
            raise WalkthroughFailed("namespaces %s exist already: another walk-through, or one left over "
                                    "(delete each with ip netns del NAME)" % ", ".join(taken))
        self.owned = True
        script = "set -e\n" + "\n".join(self.setup)
        run(["bash", "-c", script], cwd=ROOT)
        run(["tmux", "new-session", "-d", "-s", SESSION, "-x", "250", "-y", "50", "-n", "setup", "bash", "--norc"])
        for name, line in zip(self.nodes, self.starts):
            run(["tmux", "new-window", "-t", SESSION, "-n", name, "bash", "--norc"])
            self.type(name, "cd %s && RC=$PWD/distribution/target/ringchat" % shlex.quote(ROOT))
            self.type(name, line)
        for name in self.nodes:
            self.await_line(name, re.compile(r"ringchat node listening on "), 0, START_WAIT)

    def type(self, name, text):
        run(["tmux", "send-keys", "-t", "%s:%s" % (SESSION, name), "-l", text])
        run(["tmux", "send-keys", "-t", "%s:%s" % (SESSION, name), "Enter"])

    def lines(self, name):
        """What the node's window shows and scrolled away, without the empty rows below the last line."""
        return run(["tmux", "capture-pane", "-p", "-J", "-S", "-", "-t", "%s:%s" % (SESSION, name)]).stdout.rstrip().splitlines()

    def await_line(self, name, pattern, after, seconds, retype=None):
        """The index of the first line after `after` that the pattern matches; retypes `retype` now and then."""
        deadline = time.monotonic() + seconds
        next_retype = time.monotonic() + RETYPE_AFTER
        while True:
            lines = self.lines(name)
            for index in range(after, len(lines)):
                if pattern.search(lines[index]):
                    return index
            if time.monotonic() > deadline:
                raise WalkthroughFailed("%s did not print a line like\n    %s\nwithin %d s; it printed:\n%s" % (
                    name, pattern.pattern, seconds, "\n".join("    " + l for l in lines[-25:])))
            if retype and time.monotonic() > next_retype:
                after = len(lines)
                self.type(name, retype)
                next_retype = time.monotonic() + RETYPE_AFTER
            time.sleep(0.5)

    def close(self):
        if not self.owned:
            return
        pids = []
        for ns in self.namespaces:
            pids += run(["ip", "netns", "pids", ns], check=False).stdout.split()
        run(["tmux", "kill-session", "-t", SESSION], check=False)  # SIGHUP: the nodes stop cleanly
        deadline = time.monotonic() + 30
        while any(os.path.exists("/proc/" + pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.5)
        for pid in pids:
            if os.path.exists("/proc/" + pid):
                os.kill(int(pid), signal.SIGKILL)
        for ns in reversed(self.namespaces):
            run(["ip", "netns", "del", ns], check=False)
        if self.data:
            shutil.rmtree(self.data, ignore_errors=True)
        left = [ns for ns in self.namespaces if ns in run(["ip", "netns", "list"]).stdout.split()]
        if left:
            print("error: namespaces left: " + ", ".join(left), file=sys.stderr)


class Transcript:
    """The page's transcript, its IDs mapped to this run's as they are learnt."""

    def __init__(self, lines, nodes):
        self.steps = []  # (node, command or None, [expected lines])
        names = "|".join(nodes)
        for line in lines:
            command = re.match(r"^(%s)> (.*)$" % names, line)
            notice = re.match(r"^(%s): (.*)$" % names, line)
            if command:
                self.steps.append((command.group(1), command.group(2), []))
            elif notice:
                self.steps.append((notice.group(1), None, [notice.group(2)]))
            elif self.steps:
                self.steps[-1][2].append(line)
        self.live = {}

    def text(self, page_text):
        """A command of the page with this run's IDs."""
        return VARIABLE.sub(lambda m: self.live.get(m.group(0), m.group(0)), page_text)

    def pattern(self, page_line):
        """A line of the page as a pattern, and the page's IDs it captures: known IDs as they are in this run, new
        ones captured, times and message IDs any."""
        parts = []
        captured = []
        at = 0
        for match in VARIABLE.finditer(page_line):
            parts.append(re.escape(page_line[at:match.start()]))
            token = match.group(0)
            if token in self.live:
                parts.append(re.escape(self.live[token]))
            elif re.fullmatch(PEER_ID, token) or re.fullmatch(GROUP_ID, token):
                parts.append("(%s)" % (PEER_ID if len(token) == 52 else GROUP_ID))
                captured.append(token)
            elif re.fullmatch(r"\b[a-z2-7]{8}\b", token):
                parts.append(re.escape(token))  # a word, not a short ID this run knows
            else:
                parts.append(r"[0-9a-f]{32}" if len(token) == 32 else r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
            at = match.end()
        parts.append(re.escape(page_line[at:]))
        return re.compile("".join(parts) + r"\s*$"), captured

    def learn(self, captured, match):
        for page_value, live_value in zip(captured, match.groups()):
            self.live[page_value] = live_value
            if len(page_value) == 52:
                self.live[page_value[:8]] = live_value[:8]


def walk(lab, transcript):
    notices_seen = {}
    for node, command, expected in transcript.steps:
        if command is None:
            # printed by the node by itself, at any time since the walk-through began
            pattern, _ = transcript.pattern(expected[0])
            index = lab.await_line(node, pattern, notices_seen.get(node, 0), LINE_WAIT)
            notices_seen[node] = index + 1
            print("  %s: %s" % (node, lab.lines(node)[index].strip()))
            continue
        typed = transcript.text(command)
        after = len(lab.lines(node))
        lab.type(node, typed)
        print("%s> %s" % (node, typed))
        retype = typed if typed.split()[0] in RETYPED else None
        for page_line in expected:
            pattern, captured = transcript.pattern(page_line)
            index = lab.await_line(node, pattern, after, LINE_WAIT, retype)
            transcript.learn(captured, pattern.search(lab.lines(node)[index]))
            print("    " + lab.lines(node)[index].strip())
            after = index + 1


def main():
    if os.geteuid() != 0:
        print("error: the lab needs root (ip netns add); run as root", file=sys.stderr)
        return 1
    for tool in ("ip", "iptables", "tmux"):
        if shutil.which(tool) is None:
            print("error: no '%s' command (Debian: apt-get install %s)" % (tool, {"ip": "iproute2"}.get(tool, tool)),
                  file=sys.stderr)
            return 1
    if not os.path.isfile(os.path.join(ROOT, "distribution", "target", "ringchat", "bin", "ringchat")):
        print("error: no distribution/target/ringchat: build it first (mvn -q install -DskipTests)", file=sys.stderr)
        return 1
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    if SECTION not in text:
        print("error: %s has no section '%s'" % (DOC, SECTION), file=sys.stderr)
        return 1
    fenced = blocks(text[text.index(SECTION):])
    shell = [lines for language, lines in fenced if language == "sh"]
    plain = [lines for language, lines in fenced if language == ""]
    lab = Lab(shell[0], shell[1])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        print("building the lab and starting %d nodes from %s..." % (len(lab.starts), DOC))
        lab.build()
        transcript = Transcript(plain[0], lab.nodes)
        walk(lab, transcript)
        print("DEPLOY.md walk-through: %d steps, every line as the page shows" % len(transcript.steps))
        return 0
    except WalkthroughFailed as e:
        print("error: " + str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 1
    finally:
        lab.close()


if __name__ == "__main__":
    sys.exit(main())
