// qayd_web_test_server: a real web server over a seeded temporary register,
// for the browser test. Creates users monitor1/admin1 (passwords given by
// --password, default "browser-test-pass") and one review item (an Arabic
// name reported twice), prints "PORT <n>" and serves until stdin closes or
// SIGTERM arrives.
#include <csignal>
#include <iostream>
#include <string>
#include <thread>

#include "tests/web/test_register.h"

int main(int argc, char** argv) {
  std::string password = "browser-test-pass";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--password") password = argv[i + 1];
  }
  qayd::MatchingSettings m = qayd::DefaultConfig().matching;
  m.auto_merge = 1000;  // the pair below goes to review whatever the weights
  m.review = -1000;
  qayd::testing::TestRegister reg(m);
  if (auto s = reg.Start(); !s.ok()) {
    std::cerr << "start: " << s.ToString() << "\n";
    return 1;
  }
  reg.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  if (!reg.AddUser("monitor1", "monitor", password).ok() ||
      !reg.AddUser("admin1", "admin", password).ok()) {
    std::cerr << "cannot add users\n";
    return 1;
  }
  const std::string extra =
      "\"sex\":\"male\",\"age\":\"34\",\"date_of_death\":\"2024-01-03\","
      "\"place_of_death\":{\"governorate\":\"Gaza\",\"locality\":\"Jabalia\"}";
  auto a = reg.Ingest({qayd::testing::Record("moh", "1", "محمد أحمد حسن الخطيب", extra)});
  auto b = reg.Ingest({qayd::testing::Record(
      "ngo-list", "x7", "محمد احمد حسن الخطيب",
      "\"sex\":\"male\",\"age\":\"35\",\"date_of_death\":\"2024-01-04\","
      "\"place_of_death\":{\"governorate\":\"Gaza\"}")});
  if (!a.ok() || !b.ok() || (*b)[0].decision != "review") {
    std::cerr << "seeding failed\n";
    return 1;
  }
  std::cout << "PORT " << reg.port() << "\nVICTIM " << (*a)[0].victim_id << std::endl;
  // A thread advances the fake clock with the real one.
  std::atomic<bool> done{false};
  std::thread clock([&] {
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      reg.now_ms += 200;
    }
  });
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  done = true;
  clock.join();
  return 0;
}
