//! Unit tests of the model parser.
