"""The bridge between rnncore and Qt: ``worker.Worker`` (GUI thread, Qt signals) runs the
session loop of rnncore.session through ``process`` (a child process or a thread; imports
no Qt, so the child never loads it). Nothing is imported here: the child imports this package."""
