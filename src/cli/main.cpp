#include "cli.hpp"

int main(int argc, char** argv) { return co2e::cli::run(argc, argv); }
