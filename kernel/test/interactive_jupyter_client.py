"""stdin, comms and the widgets protocol against the installed `folio` kernelspec, through Debian's jupyter_client.

Run: kernel/test/interactive.test.ts (kernelspec in a temporary JUPYTER_PATH), or by hand after
`node kernel/dist/cli.js install --user`: /usr/bin/python3 -m unittest -v kernel/test/interactive_jupyter_client.py
One kernel serves every test (each test uses its own names); expected values are written by hand.
"""
import os
import queue
import time
import unittest
import uuid

from jupyter_client.manager import start_new_kernel

TIMEOUT = 30
HERE = os.path.dirname(os.path.abspath(__file__))


class Kernel:
    km = None
    kc = None

    @classmethod
    def start(cls):
        if cls.kc is None:
            cls.km, cls.kc = start_new_kernel(kernel_name="folio", startup_timeout=60, cwd=os.path.join(HERE, "fixtures"))
        return cls.kc

    @classmethod
    def stop(cls):
        if cls.kc is not None:
            cls.kc.stop_channels()
            cls.km.shutdown_kernel(now=False)
            cls.kc = cls.km = None


def setUpModule():
    Kernel.start()


def tearDownModule():
    Kernel.stop()


class Base(unittest.TestCase):
    def setUp(self):
        self.kc = Kernel.start()
        self.drain()

    def drain(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                return

    def iopub_until_idle(self, msg_id, timeout=TIMEOUT):
        """Every iopub message parented to msg_id, through its idle status (others are skipped)."""
        out, deadline = [], time.time() + timeout
        while time.time() < deadline:
            m = self.kc.get_iopub_msg(timeout=deadline - time.time())
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            out.append(m)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return out
        raise AssertionError(f"no idle for {msg_id}")

    def execute(self, code, allow_stdin=False):
        msg_id = self.kc.execute(code, allow_stdin=allow_stdin)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        return reply, self.iopub_until_idle(msg_id)

    def ok(self, code, allow_stdin=False):
        reply, iopub = self.execute(code, allow_stdin)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"].get("traceback"))
        return iopub

    def send(self, msg_type, content, buffers=None):
        msg = self.kc.session.msg(msg_type, content)
        self.kc.session.send(self.kc.shell_channel.socket, msg, buffers=buffers or [])
        return msg["header"]["msg_id"]

    @staticmethod
    def of(iopub, msg_type):
        return [m for m in iopub if m["msg_type"] == msg_type]

    @staticmethod
    def result(iopub):
        r = [m for m in iopub if m["msg_type"] == "execute_result"]
        return r[0]["content"]["data"]["text/plain"] if r else None

    @staticmethod
    def stream(iopub, name="stdout"):
        return "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream" and m["content"]["name"] == name)


class Stdin(Base):
    def answer(self, value):
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(req["msg_type"], "input_request")
        self.kc.input(value)
        return req["content"]

    def test_prompt_request_reply(self):
        msg_id = self.kc.execute('const who = prompt("Your name?", "nobody"); who!.toUpperCase()', allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(req["content"], {"prompt": "Your name? [nobody] ", "password": False})
        self.assertEqual(req["parent_header"]["msg_id"], msg_id)
        self.kc.input("ada")
        self.assertEqual(self.result(self.iopub_until_idle(msg_id)), "'ADA'")
        # an empty reply gives the default
        msg_id = self.kc.execute('prompt("Again?", "nobody")', allow_stdin=True)
        self.answer("")
        self.assertEqual(self.result(self.iopub_until_idle(msg_id)), "'nobody'")

    def test_password_and_confirm(self):
        msg_id = self.kc.execute('const pw = prompt.password("Key"); const sure = confirm("Really?"); [pw!.length, sure]', allow_stdin=True)
        self.assertEqual(self.answer("s3cret"), {"prompt": "Key ", "password": True})
        self.assertEqual(self.answer("y"), {"prompt": "Really? [y/N] ", "password": False})
        self.assertEqual(self.result(self.iopub_until_idle(msg_id)), "[ 6, true ]")

    def test_allow_stdin_false_answers_at_once(self):
        iopub = self.ok('[prompt("Name?"), confirm("Sure?"), prompt.password("pw")]', allow_stdin=False)
        self.assertEqual(self.result(iopub), "[ null, false, null ]")
        err = self.stream(iopub, "stderr")
        self.assertIn("prompt(): the front end does not accept input (allow_stdin is false)", err)
        self.assertIn("confirm():", err)
        with self.assertRaises(queue.Empty):
            self.kc.get_stdin_msg(timeout=0.3)

    def test_interrupt_during_prompt_keeps_state(self):
        self.ok("let keptStdin = 41;")
        msg_id = self.kc.execute('keptStdin = 1; const never = prompt("wait"); keptStdin = 2;', allow_stdin=True)
        self.kc.get_stdin_msg(timeout=TIMEOUT)
        Kernel.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupt")
        self.iopub_until_idle(msg_id)
        self.assertEqual(self.result(self.ok("keptStdin")), "1")
        # the kernel still asks and answers afterwards
        msg_id = self.kc.execute('prompt("next")', allow_stdin=True)
        self.answer("fine")
        self.assertEqual(self.result(self.iopub_until_idle(msg_id)), "'fine'")

    def test_readline_on_process_stdin(self):
        code = ('import * as readline from "node:readline/promises";\n'
                'const rl = readline.createInterface({ input: process.stdin, output: process.stdout });\n'
                'const answer = await rl.question("Colour? ");\nrl.close();\nanswer')
        msg_id = self.kc.execute(code, allow_stdin=True)
        self.answer("blue")
        iopub = self.iopub_until_idle(msg_id)
        self.assertEqual(self.stream(iopub), "Colour? ")
        self.assertEqual(self.result(iopub), "'blue'")
        with self.assertRaises(queue.Empty):
            self.kc.get_stdin_msg(timeout=0.3)  # asked once: nothing reads after the answer
        iopub = self.ok('const rl2 = readline.createInterface({ input: process.stdin }); const got: string[] = [];\n'
                        'for await (const line of rl2) got.push(line);\ngot.length')
        self.assertEqual(self.result(iopub), "0")
        self.assertIn("process.stdin: the front end does not accept input", self.stream(iopub, "stderr"))


class Comms(Base):
    def test_kernel_opens_and_sends_with_buffers(self):
        iopub = self.ok('import { comms } from "@folio/kernel/comm";\n'
                        'const c1 = comms().open("folio.test", { hello: 1 }, { m: "x" }, [new Uint8Array([1, 2, 3])]);\n'
                        'c1.send({ n: 2 }, {}, [Buffer.from("ab"), new Uint8Array([9])]);')
        opened = self.of(iopub, "comm_open")[0]
        self.assertEqual(opened["content"]["target_name"], "folio.test")
        self.assertEqual(opened["content"]["data"], {"hello": 1})
        self.assertEqual(opened["metadata"], {"m": "x"})
        self.assertEqual([bytes(b) for b in opened["buffers"]], [b"\x01\x02\x03"])
        sent = self.of(iopub, "comm_msg")[0]
        self.assertEqual(sent["content"], {"comm_id": opened["content"]["comm_id"], "data": {"n": 2}})
        self.assertEqual([bytes(b) for b in sent["buffers"]], [b"ab", b"\x09"])
        iopub = self.ok("c1.close({ bye: true });")
        self.assertEqual(self.of(iopub, "comm_close")[0]["content"], {"comm_id": opened["content"]["comm_id"], "data": {"bye": True}})

    def test_front_end_opens_sends_and_closes(self):
        self.ok('import { comms as comms2 } from "@folio/kernel/comm";\n'
                'comms2().registerTarget("folio.echo", (comm, open) => {\n'
                '  console.log("opened", JSON.stringify(open.data));\n'
                '  comm.onMsg((m) => { console.log("got", JSON.stringify(m.data)); comm.send({ echo: m.data, sizes: m.buffers.map((b) => b.length) }, {}, m.buffers); });\n'
                '  comm.onClose((m) => console.log("closed", JSON.stringify(m.data)));\n'
                '});')
        comm_id = uuid.uuid4().hex
        open_id = self.send("comm_open", {"comm_id": comm_id, "target_name": "folio.echo", "data": {"a": 1}})
        iopub = self.iopub_until_idle(open_id)
        self.assertEqual([m["content"]["execution_state"] for m in self.of(iopub, "status")], ["busy", "idle"])
        self.assertEqual(self.stream(iopub), 'opened {"a":1}\n')
        msg_id = self.send("comm_msg", {"comm_id": comm_id, "data": {"x": [1, 2]}}, buffers=[b"\x00\x01\x02\x03", b"z"])
        iopub = self.iopub_until_idle(msg_id)
        self.assertEqual(self.stream(iopub), 'got {"x":[1,2]}\n')
        echo = self.of(iopub, "comm_msg")[0]
        self.assertEqual(echo["content"]["data"], {"echo": {"x": [1, 2]}, "sizes": [4, 1]})
        self.assertEqual([bytes(b) for b in echo["buffers"]], [b"\x00\x01\x02\x03", b"z"])
        self.kc.comm_info(target_name="folio.echo")
        self.assertEqual(self.kc.get_shell_msg(timeout=TIMEOUT)["content"]["comms"], {comm_id: {"target_name": "folio.echo"}})
        close_id = self.send("comm_close", {"comm_id": comm_id, "data": {"why": "done"}})
        self.assertEqual(self.stream(self.iopub_until_idle(close_id)), 'closed {"why":"done"}\n')

    def test_unknown_target_is_closed_at_once(self):
        comm_id = uuid.uuid4().hex
        msg_id = self.send("comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
        iopub = self.iopub_until_idle(msg_id)
        closes = self.of(iopub, "comm_close")
        self.assertEqual(len(closes), 1)
        self.assertEqual(closes[0]["content"]["comm_id"], comm_id)

    def test_comm_info_filters_by_target(self):
        self.ok('import { comms as comms3 } from "@folio/kernel/comm";\n'
                'const ca = comms3().open("folio.a"), cb = comms3().open("folio.b");')
        self.kc.comm_info(target_name="folio.a")
        a = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]["comms"]
        self.assertEqual(list(a.values()), [{"target_name": "folio.a"}])
        self.kc.comm_info()
        every = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]["comms"]
        self.assertIn({"target_name": "folio.b"}, every.values())
        self.assertTrue(set(a) < set(every))


class Widgets(Base):
    def setUp(self):
        super().setUp()
        self.ok('import * as w from "@folio/kernel/widgets";')

    def widget_opens(self, iopub):
        return {m["content"]["comm_id"]: m for m in self.of(iopub, "comm_open")}

    def update(self, comm_id, state, buffer_paths=None, buffers=None):
        return self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": buffer_paths or []}}, buffers)

    def test_comm_open_references_and_display(self):
        iopub = self.ok('const s1 = new w.IntSlider({ value: 3, min: 0, max: 10, description: "n", layout: { width: "300px" } });\ns1')
        opens = self.of(iopub, "comm_open")
        self.assertEqual([m["content"]["data"]["state"]["_model_name"] for m in opens], ["LayoutModel", "SliderStyleModel", "IntSliderModel"])
        for m in opens:
            self.assertEqual(m["content"]["target_name"], "jupyter.widget")
            self.assertEqual(m["metadata"]["version"], "2.1.0")
        layout, style, slider = opens
        state = slider["content"]["data"]["state"]
        self.assertEqual(state["_model_module"], "@jupyter-widgets/controls")
        self.assertEqual(state["_model_module_version"], "2.0.0")
        self.assertEqual(state["layout"], "IPY_MODEL_" + layout["content"]["comm_id"])
        self.assertEqual(state["style"], "IPY_MODEL_" + style["content"]["comm_id"])
        self.assertEqual(layout["content"]["data"]["state"]["width"], "300px")
        self.assertEqual((state["value"], state["min"], state["max"], state["step"], state["readout_format"]), (3, 0, 10, 1, "d"))
        shown = self.of(iopub, "execute_result")[0]["content"]["data"]
        self.assertEqual(shown["application/vnd.jupyter.widget-view+json"], {"model_id": slider["content"]["comm_id"], "version_major": 2, "version_minor": 0})
        self.assertEqual(shown["text/plain"], "IntSlider(value=3)")

    def test_update_both_ways_with_echo(self):
        iopub = self.ok('const s2 = new w.IntSlider({ value: 1, max: 10 });\n'
                        's2.observe("value", (c) => { console.log(`value ${c.old} -> ${c.new}`); if (c.new > 8) s2.value = 8; });')
        sid = [m for m in self.of(iopub, "comm_open") if m["content"]["data"]["state"]["_model_name"] == "IntSliderModel"][0]["content"]["comm_id"]
        msg_id = self.update(sid, {"value": 5})
        iopub = self.iopub_until_idle(msg_id)
        msgs = self.of(iopub, "comm_msg")
        self.assertEqual(msgs[0]["content"]["data"], {"method": "echo_update", "state": {"value": 5}, "buffer_paths": []})
        self.assertEqual(len(msgs), 1, "the kernel does not send back the value the front end just sent")
        self.assertEqual(self.stream(iopub), "value 1 -> 5\n")
        # an observer that changes the value again sends an update
        iopub = self.iopub_until_idle(self.update(sid, {"value": 10}))
        self.assertEqual([m["content"]["data"]["method"] for m in self.of(iopub, "comm_msg")], ["echo_update", "update"])
        self.assertEqual(self.of(iopub, "comm_msg")[1]["content"]["data"]["state"], {"value": 8})
        # kernel -> front end
        iopub = self.ok("s2.value = 2; s2.max = 20; s2.value")
        ups = [m["content"]["data"] for m in self.of(iopub, "comm_msg")]
        self.assertEqual(ups, [{"method": "update", "state": {"value": 2}, "buffer_paths": []}, {"method": "update", "state": {"max": 20}, "buffer_paths": []}])
        self.assertEqual(self.result(iopub), "2")

    def test_request_state(self):
        iopub = self.ok('const t1 = new w.Text({ value: "hi", description: "t" });')
        tid = [m for m in self.of(iopub, "comm_open") if m["content"]["data"]["state"]["_model_name"] == "TextModel"][0]["content"]["comm_id"]
        iopub = self.iopub_until_idle(self.send("comm_msg", {"comm_id": tid, "data": {"method": "request_state"}}))
        data = self.of(iopub, "comm_msg")[0]["content"]["data"]
        self.assertEqual(data["method"], "update")
        self.assertEqual(data["state"]["value"], "hi")
        self.assertEqual(data["state"]["_model_name"], "TextModel")
        self.assertTrue(data["state"]["layout"].startswith("IPY_MODEL_"))

    def test_custom_button_click(self):
        iopub = self.ok('const b1 = new w.Button({ description: "Go" }); let clicks = 0;\n'
                        'b1.onClick(() => { clicks++; console.log("clicked", clicks); });\n'
                        'b1.onCustom((c) => { if ((c as any).ping) b1.send({ pong: true }); });')
        bid = [m for m in self.of(iopub, "comm_open") if m["content"]["data"]["state"]["_model_name"] == "ButtonModel"][0]["content"]["comm_id"]
        iopub = self.iopub_until_idle(self.send("comm_msg", {"comm_id": bid, "data": {"method": "custom", "content": {"event": "click"}}}))
        self.assertEqual(self.stream(iopub), "clicked 1\n")
        iopub = self.iopub_until_idle(self.send("comm_msg", {"comm_id": bid, "data": {"method": "custom", "content": {"ping": 1}}}))
        self.assertEqual(self.of(iopub, "comm_msg")[0]["content"]["data"], {"method": "custom", "content": {"pong": True}})

    def test_buffer_paths_both_ways(self):
        iopub = self.ok('const blob = new w.Widget({ model: ["@jupyter-widgets/base", "2.0.0", "WidgetModel"], view: ["@jupyter-widgets/base", "2.0.0", null] },\n'
                        '  { data: new Uint8Array([1, 2, 3]), nested: { list: [1, new Float32Array([0.5])] } });\n'
                        'blob.observe("data", (c) => console.log("bytes", Array.from(c.new as Uint8Array).join(",")));')
        opened = [m for m in self.of(iopub, "comm_open") if m["content"]["data"]["state"]["_model_name"] == "WidgetModel"][0]
        data = opened["content"]["data"]
        self.assertEqual(data["buffer_paths"], [["data"], ["nested", "list", 1]])
        self.assertNotIn("data", data["state"])
        self.assertEqual(data["state"]["nested"], {"list": [1, None]})
        self.assertEqual([bytes(b) for b in opened["buffers"]], [b"\x01\x02\x03", b"\x00\x00\x00\x3f"])
        iopub = self.iopub_until_idle(self.update(opened["content"]["comm_id"], {}, [["data"]], [b"\x07\x08"]))
        self.assertEqual(self.stream(iopub), "bytes 7,8\n")
        echo = self.of(iopub, "comm_msg")[0]
        self.assertEqual(echo["content"]["data"]["buffer_paths"], [["data"]])
        self.assertEqual([bytes(b) for b in echo["buffers"]], [b"\x07\x08"])

    def test_control_target_update_states(self):
        self.ok('const s3 = new w.FloatSlider({ value: 0.5, description: "f" });')
        comm_id = uuid.uuid4().hex
        self.iopub_until_idle(self.send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}}))
        iopub = self.iopub_until_idle(self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}))
        data = self.of(iopub, "comm_msg")[0]["content"]["data"]
        self.assertEqual(data["method"], "update_states")
        floats = [s for s in data["states"].values() if s["model_name"] == "FloatSliderModel" and s["state"]["description"] == "f"]
        self.assertEqual(len(floats), 1)
        self.assertEqual(floats[0]["model_module"], "@jupyter-widgets/controls")
        self.assertEqual(floats[0]["state"]["value"], 0.5)
        self.assertIsInstance(data["buffer_paths"], list)
        self.kc.comm_info(target_name="jupyter.widget")
        listed = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]["comms"]
        self.assertEqual(set(listed), {k for k in data["states"]})

    def test_front_end_creates_a_model(self):
        comm_id = uuid.uuid4().hex
        state = {"_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0", "_model_name": "IntSliderModel",
                 "_view_module": "@jupyter-widgets/controls", "_view_module_version": "2.0.0", "_view_name": "IntSliderView", "value": 4}
        self.iopub_until_idle(self.send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget", "data": {"state": state, "buffer_paths": []}}))
        self.assertEqual(self.result(self.ok(f'w.widgetById("{comm_id}")!.get("value")')), "4")

    def test_interact_replaces_output_and_shows_errors(self):
        iopub = self.ok('const ui = w.interact(({ n, label }) => {\n'
                        '  if (n === 7) throw new RangeError("seven");\n'
                        '  console.log(`${label}: ${n}`);\n'
                        '  return { data: [{ x: [0, 1], y: [0, n], type: "scatter" }] };\n'
                        '}, { n: [0, 10], label: ["a", "b"] });')
        opens = self.of(iopub, "comm_open")
        names = [m["content"]["data"]["state"]["_model_name"] for m in opens]
        self.assertIn("IntSliderModel", names)
        self.assertIn("DropdownModel", names)
        self.assertIn("OutputModel", names)
        self.assertEqual(names[-1], "VBoxModel")
        box = self.of(iopub, "display_data")[0]["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        self.assertEqual(box, opens[-1]["content"]["comm_id"])
        ids = {m["content"]["data"]["state"]["_model_name"]: m["content"]["comm_id"] for m in opens}
        first = [m for m in self.of(iopub, "comm_msg") if m["content"]["comm_id"] == ids["OutputModel"]][-1]["content"]["data"]["state"]["outputs"]
        self.assertEqual(first[0], {"output_type": "stream", "name": "stdout", "text": "a: 5\n"})
        self.assertEqual(first[1]["data"]["application/vnd.plotly.v1+json"]["data"][0]["y"], [0, 5])
        self.assertIsNone(self.result(iopub), "interact's handle is not displayed again")
        iopub = self.iopub_until_idle(self.update(ids["IntSliderModel"], {"value": 3}))
        outs = [m for m in self.of(iopub, "comm_msg") if m["content"]["comm_id"] == ids["OutputModel"]]
        self.assertEqual(outs[-1]["content"]["data"]["state"]["outputs"][0]["text"], "a: 3\n")
        self.assertEqual(len(outs[-1]["content"]["data"]["state"]["outputs"]), 2, "the old output is replaced")
        iopub = self.iopub_until_idle(self.update(ids["DropdownModel"], {"index": 1}))
        outs = [m for m in self.of(iopub, "comm_msg") if m["content"]["comm_id"] == ids["OutputModel"]]
        self.assertEqual(outs[-1]["content"]["data"]["state"]["outputs"][0]["text"], "b: 3\n")
        # an exception in the callback is shown in its output; the kernel lives on
        iopub = self.iopub_until_idle(self.update(ids["IntSliderModel"], {"value": 7}))
        err = [m for m in self.of(iopub, "comm_msg") if m["content"]["comm_id"] == ids["OutputModel"]][-1]["content"]["data"]["state"]["outputs"]
        self.assertEqual([o["output_type"] for o in err], ["error"])
        self.assertEqual((err[0]["ename"], err[0]["evalue"]), ("RangeError", "seven"))
        self.assertEqual(self.result(self.ok("ui.controls.n.value + 1")), "8")

    def test_link_and_output_capture(self):
        iopub = self.ok('const la = new w.IntSlider({ value: 1 }), lb = new w.IntSlider({ value: 2 });\n'
                        'const unlink = w.link(la, lb); const o1 = new w.Output();\n'
                        'o1.capture(() => { console.log("inside"); display.html("<b>x</b>"); });\n'
                        '[la.value, lb.value]')
        self.assertEqual(self.result(iopub), "[ 1, 1 ]")
        lb = [m for m in self.of(iopub, "comm_open") if m["content"]["data"]["state"]["_model_name"] == "IntSliderModel"][1]["content"]["comm_id"]
        self.iopub_until_idle(self.update(lb, {"value": 9}))
        self.assertEqual(self.result(self.ok("la.value")), "9")
        outputs = self.of(iopub, "comm_msg")[-1]["content"]["data"]["state"]["outputs"]
        self.assertEqual(outputs[0], {"output_type": "stream", "name": "stdout", "text": "inside\n"})
        self.assertEqual(outputs[1]["data"]["text/html"], "<b>x</b>")
        self.assertEqual(self.stream(iopub), "", "captured output does not reach the cell")


if __name__ == "__main__":
    unittest.main()
