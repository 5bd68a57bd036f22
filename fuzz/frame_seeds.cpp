// Writes the fixture frames of tests/tracker/frame_cases.h as the seed corpus of frame_decoder_fuzzer: one
// file per frame, its first byte the link type as the fuzzer reads it.
#include <fstream>
#include <iostream>
#include <string>

#include "tests/tracker/frame_cases.h"

using namespace sessiongate::tracker;
using namespace sessiongate::tracker::testing;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: frame_seeds DIR\n";
    return 2;
  }
  int n = 0;
  for (const FrameCase& c : frameCases()) {
    std::ofstream out(std::string(argv[1]) + "/frame-" + std::to_string(n++), std::ios::binary);
    out.put(static_cast<char>(c.link));
    out.write(reinterpret_cast<const char*>(c.frame.data()), static_cast<std::streamsize>(c.frame.size()));
    if (!out) {
      std::cerr << "frame_seeds: cannot write into " << argv[1] << "\n";
      return 1;
    }
  }
  return 0;
}
