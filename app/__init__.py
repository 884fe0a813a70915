"""RNN Scope's Qt application. Only this package imports Qt; rnncore never does."""
