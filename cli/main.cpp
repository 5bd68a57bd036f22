// sessiongatectl: tooling for sessiongate (review, test, certs, policy check offline; session open against a
// cluster). Only dispatches; the commands live in the sessiongate::cli library.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return sessiongate::cli::dispatch(args, {std::cin, std::cout, std::cerr});
}
