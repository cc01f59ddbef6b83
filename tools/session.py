"""One Streamlit session spoken over the app's own WebSocket protocol, as a browser tab does.

The protocol modules are imported here, once: imported lazily from 20 user threads at the
same time, one thread could see a partly initialised module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from kehoach.i18n import t

MESSAGE_TIMEOUT_S = 60.0
# ForwardMsg.script_finished values (streamlit/proto/ForwardMsg.proto).
FINISHED_SUCCESSFULLY = 0
FINISHED_EARLY_FOR_RERUN = 2


class AppSession:
    """One browser tab's Streamlit session, spoken over the app's WebSocket protocol."""

    def __init__(self, base_url: str) -> None:
        ws_url = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self._stack = contextlib.ExitStack()
        self._ws = self._stack.enter_context(
            connect(
                ws_url, subprotocols=[Subprotocol("streamlit")], max_size=None, open_timeout=30
            )
        )

    def close(self) -> None:
        """Close the WebSocket (the server ends the session)."""
        self._stack.close()

    def run(self, widget_states: Sequence[Any] = ()) -> list[tuple[str, Any]]:
        """Rerun the page with ``widget_states``; return the elements of the finished run."""
        message = BackMsg()
        message.rerun_script.widget_states.widgets.extend(widget_states)
        self._ws.send(message.SerializeToString())
        elements: list[tuple[str, Any]] = []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self._ws.recv(timeout=MESSAGE_TIMEOUT_S))
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                name = str(element.WhichOneof("type"))
                elements.append((name, getattr(element, name)))
            elif kind == "script_finished":
                if forward.script_finished == FINISHED_EARLY_FOR_RERUN:
                    elements = []  # st.rerun(): the server starts the next run by itself
                    continue
                if forward.script_finished != FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"script finished with status {forward.script_finished}")
                failures = [e for name, e in elements if name == "exception"]
                if failures:
                    raise RuntimeError(f"the page raised: {failures[0].message[:200]}")
                return elements

    def sign_in(self, username: str, password: str) -> list[tuple[str, Any]]:
        """Fill in and submit the real sign-in form; return the first page after it."""
        form = self.run()
        inputs = {e.label: e.id for name, e in form if name == "text_input"}
        submit = next(e.id for name, e in form if name == "button" and e.is_form_submitter)
        page = self.run(
            [
                WidgetState(id=inputs[t("login.username")], string_value=username),
                WidgetState(id=inputs[t("login.password")], string_value=password),
                WidgetState(id=submit, trigger_value=True),
            ]
        )
        if any(name == "text_input" and e.label == t("login.password") for name, e in page):
            raise RuntimeError(f"sign-in of {username} was refused")
        return page
