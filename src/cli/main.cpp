#include "cli.hpp"

int main(int argc, char** argv) {
  const int code = co2e::cli::run(argc, argv);
  co2e::cli::end_like_a_pipe_writer();
  return code;
}
