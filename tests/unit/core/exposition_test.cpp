#include "floorwatch/core/exposition.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace floorwatch;

TEST_CASE("label values are escaped") {
  std::string out;
  AppendLabelValue(out, "a\"b\\c\nd");
  CHECK(out == "a\\\"b\\\\c\\nd");
}

TEST_CASE("sample values: integers exact, fractions, NaN and infinities") {
  std::string out;
  AppendValue(out, 1795428000);
  out += ' ';
  AppendValue(out, 0.25);
  out += ' ';
  AppendValue(out, std::nan(""));
  out += ' ';
  AppendValue(out, -HUGE_VAL);
  CHECK(out == "1795428000 0.25 NaN -Inf");
}

TEST_CASE("JSON strings are escaped, control characters included") {
  std::string out;
  AppendJsonString(out, "a\"b\\\n\x01");
  CHECK(out == "\"a\\\"b\\\\\\n\\u0001\"");
}

TEST_CASE("a JSON object drops its trailing comma, writes NaN as null and nests") {
  std::string out;
  JsonObject o(out);
  o.Number("a", 1);
  o.Number("b", std::nan(""));
  JsonObject inner(out, "c");
  inner.String("d", "e");
  inner.Close();
  o.Close();
  CHECK(out == R"({"a":1,"b":null,"c":{"d":"e"}},)");
}

TEST_CASE("a metric family is HELP, TYPE, then its samples") {
  std::string out;
  MetricWriter w(out);
  w.Family("x_total", "counter", "Things.");
  w.Sample("x_total", "a=\"1\"", 2);
  w.Single("y", "gauge", "Why.", 0.5);
  CHECK(out ==
        "# HELP x_total Things.\n# TYPE x_total counter\nx_total{a=\"1\"} 2\n"
        "# HELP y Why.\n# TYPE y gauge\ny 0.5\n");
}

TEST_CASE("a sample written after a shared head closes its last label and ends its line") {
  std::string out;
  MetricWriter w(out);
  const std::string head = "x{q=\"a\",outcome=\"";
  w.SampleWithHead(head, "offered", 3);
  w.SampleWithHead(head, "answered", 0.25);
  CHECK(out == "x{q=\"a\",outcome=\"offered\"} 3\nx{q=\"a\",outcome=\"answered\"} 0.25\n");
}
