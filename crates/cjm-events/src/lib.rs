//! Event-log import, the columnar journey store and analytics kernels.
