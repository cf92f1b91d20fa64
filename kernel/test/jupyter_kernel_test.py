"""Debian's jupyter_kernel_test suite against the installed `folio` kernelspec.

Run: node kernel/dist/cli.js install --user && /usr/bin/python3 -m unittest -v kernel/test/jupyter_kernel_test.py
(kernel/test/jupyter.test.ts runs it against a kernelspec in a temporary JUPYTER_PATH).
"""
import unittest

import jupyter_kernel_test


class FolioKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "folio"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world");'
    code_stderr = 'console.error("oops");'

    # Math members starting with "ma": only max (ES2023 lib).
    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "JSON.str", "matches": {"stringify"}},
    ]

    complete_code_samples = ["1 + 1", "const a = [1, 2];", "function f() { return 1; }", "x = a / b"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (x) {\n  while (y) {", "`a ${1"]
    invalid_code_samples = ["}", "const = 5;", "a )"]

    code_generate_error = 'throw new Error("expected");'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2].map((x) => x * 10)", "result": "[ 10, 20 ]"},
    ]

    code_display_data = [
        {"code": 'display.html("<b>bold</b>");', "mime": "text/html"},
        {"code": 'display.markdown("*it*");', "mime": "text/markdown"},
        {"code": 'display.svg("<svg xmlns=\'http://www.w3.org/2000/svg\'></svg>");', "mime": "image/svg+xml"},
    ]

    code_history_pattern = "1 + ?"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    # `name?` pages the inspection of `name`, as in IPython.
    code_page_something = "Math.max?"

    code_clear_output = "clearOutput();"


if __name__ == "__main__":
    unittest.main()
