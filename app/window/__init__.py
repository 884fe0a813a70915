"""The windows: the dashboard (main_window, with its controls, file actions and dialogs)
and the race window. They compose and wire; panels draw, the bridge trains."""
