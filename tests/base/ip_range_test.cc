#include "base/ip_range.h"

#include <gtest/gtest.h>

namespace qayd {
namespace {

bool In(const char* range, const char* address) {
  auto r = IpRange::Parse(range);
  auto a = ParseIpAddress(address);
  EXPECT_TRUE(r.ok()) << range;
  EXPECT_TRUE(a.has_value()) << address;
  return r.ok() && a && r->Contains(*a);
}

TEST(IpRangeTest, MatchesAddressesAndPrefixes) {
  EXPECT_TRUE(In("127.0.0.1", "127.0.0.1"));
  EXPECT_FALSE(In("127.0.0.1", "127.0.0.2"));
  EXPECT_TRUE(In("10.0.0.0/8", "10.255.1.2"));
  EXPECT_FALSE(In("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(In("192.168.4.0/22", "192.168.7.255"));
  EXPECT_FALSE(In("192.168.4.0/22", "192.168.8.0"));
  EXPECT_TRUE(In("0.0.0.0/0", "203.0.113.9"));
  EXPECT_FALSE(In("0.0.0.0/0", "2001:db8::1"));  // families never mix
  EXPECT_TRUE(In("::1", "::1"));
  EXPECT_TRUE(In("2001:db8::/32", "2001:db8:ffff::7"));
  EXPECT_FALSE(In("2001:db8::/33", "2001:db8:ffff::7"));
  // An IPv4-mapped IPv6 peer is the IPv4 address.
  EXPECT_TRUE(In("127.0.0.0/8", "::ffff:127.0.0.5"));
  EXPECT_TRUE(In("[::1]", "[::1]"));
}

TEST(IpRangeTest, RefusesWhatIsNotAnAddressOrPrefix) {
  for (const char* bad : {"", "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x",
                          "10.0.0.0/-1", "1.2.3.4:80", "10.0.0", "fe80::1%eth0"}) {
    auto r = IpRange::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find('"'), std::string::npos) << bad;
    }
  }
  EXPECT_FALSE(ParseIpAddress("1.2.3.4, 5.6.7.8"));
  EXPECT_EQ(ParseIpAddress("::ffff:10.1.2.3")->ToString(), "10.1.2.3");
  EXPECT_EQ(ParseIpAddress("2001:0db8:0000::0001")->ToString(), "2001:db8::1");
}

}  // namespace
}  // namespace qayd
