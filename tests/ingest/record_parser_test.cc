#include "ingest/record_parser.h"

#include <gtest/gtest.h>

namespace qayd {
// Readable failures: {field, problem}.
inline void PrintTo(const FieldError& e, std::ostream* os) {
  *os << "{\"" << e.field << "\", \"" << e.problem << "\"}";
}
}  // namespace qayd

namespace qayd::ingest {
namespace {

using Errors = std::vector<FieldError>;

ParseOptions FeedOptions(const std::string& format) {
  FeedSettings feed;
  feed.id = "moh-daily";
  feed.format = format;
  feed.source_type = "official";
  feed.reliability = "high";
  ParseOptions o = ParseOptionsFor(feed);
  o.received_at_ms = 1700000000000;
  return o;
}

TEST(RecordParser, JsonLinesOneMalformedLineIsOneRejectedRecord) {
  const std::string body =
      "{\"source_record_id\":\"a1\",\"name\":\"محمد أحمد\",\"date_of_death\":\"2024-01-05\"}\n"
      "{\"source_record_id\":\"a2\",\"name\":\"broken\n"
      "\r\n"
      "{\"name\":\"Ahmad Khalil\",\"source\":\"other\"}\r\n";
  auto parsed = ParseRecords(body, FeedOptions("jsonl"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& recs = parsed->records;
  ASSERT_EQ(recs.size(), 3u);

  EXPECT_EQ(recs[0].errors, Errors{});
  EXPECT_EQ(recs[0].report.source, "moh-daily");
  EXPECT_EQ(recs[0].report.source_record_id, "a1");
  EXPECT_EQ(recs[0].report.names.at(0).full, "محمد أحمد");
  EXPECT_EQ(recs[0].report.date_of_death.ToString(), "2024-01-05");
  EXPECT_EQ(recs[0].report.source_type, "official");
  EXPECT_EQ(recs[0].report.reliability, "high");
  EXPECT_EQ(recs[0].report.received_at_ms, 1700000000000);
  EXPECT_EQ(recs[0].record_label, "feed moh-daily record 1");
  EXPECT_EQ(
      recs[0].report.raw_payload,
      "{\"source_record_id\":\"a1\",\"name\":\"محمد أحمد\",\"date_of_death\":\"2024-01-05\"}");

  ASSERT_EQ(recs[1].errors.size(), 1u);
  EXPECT_EQ(recs[1].errors[0].field, "");
  EXPECT_EQ(recs[1].errors[0].problem,
            "malformed JSON at offset 39: Missing a closing quotation mark in string.");
  EXPECT_EQ(recs[1].report.raw_payload, "{\"source_record_id\":\"a2\",\"name\":\"broken");
  EXPECT_EQ(recs[1].report.source, "moh-daily");
  EXPECT_EQ(recs[1].report.source_record_id, "2");  // line number fallback
  EXPECT_EQ(recs[1].record_label, "feed moh-daily record 2");

  // Line 3 is blank (CRLF); line 4 carries its own source, which the feed overrides.
  EXPECT_EQ(recs[2].errors, Errors{});
  EXPECT_EQ(recs[2].report.source, "moh-daily");
  EXPECT_EQ(recs[2].report.source_record_id, "4");
  EXPECT_EQ(recs[2].record_label, "feed moh-daily record 4");
  EXPECT_EQ(recs[2].report.raw_payload, "{\"name\":\"Ahmad Khalil\",\"source\":\"other\"}");
}

// A file parsed a chunk at a time (qayd ingest, the benchmark) gives the
// records, labels and line-number ids that parsing it whole gives.
TEST(RecordParser, JsonLinesInChunksParseAsTheWholeBody) {
  const std::string body =
      "\xEF\xBB\xBF{\"source_record_id\":\"a1\",\"name\":\"محمد أحمد\"}\n"
      "{\"name\":\"broken\n"
      "\r\n"
      "{\"name\":\"Ahmad Khalil\"}\r\n"
      "   \n"
      "{\"name\":\"Khaled Omar\"}";  // no final newline
  auto whole = ParseRecords(body, FeedOptions("jsonl"));
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->records.size(), 4u);
  for (size_t per : {1u, 2u, 4u, 100u}) {
    const auto chunks = SplitJsonLines(body, per);
    EXPECT_EQ(chunks.size(), (6 + per - 1) / per) << per;
    std::string joined;
    std::vector<IncomingRecord> recs;
    size_t counted = 0;
    for (const auto& c : chunks) {
      joined += c.text;
      counted += c.records;
      ParseOptions o = FeedOptions("jsonl");
      o.first_line = c.first_line;
      auto part = ParseRecords(c.text, o);
      ASSERT_TRUE(part.ok());
      for (auto& r : part->records) recs.push_back(std::move(r));
    }
    EXPECT_EQ(joined, body) << "chunks cover the body, in order";
    EXPECT_EQ(counted, whole->records.size()) << per;
    ASSERT_EQ(recs.size(), whole->records.size()) << per;
    for (size_t i = 0; i < recs.size(); ++i) {
      EXPECT_EQ(recs[i].record_label, whole->records[i].record_label) << per << " " << i;
      EXPECT_EQ(recs[i].report.source_record_id, whole->records[i].report.source_record_id);
      EXPECT_EQ(recs[i].report.raw_payload, whole->records[i].report.raw_payload);
      EXPECT_EQ(recs[i].errors, whole->records[i].errors);
    }
  }
  EXPECT_EQ(whole->records[3].report.source_record_id, "6");
  EXPECT_TRUE(SplitJsonLines("", 10).empty());
}

TEST(RecordParser, RecordsOwnSourceKeptWhenNotOverriding) {
  ParseOptions o;
  o.source = "spool/x.jsonl";
  auto parsed = ParseRecords("{\"name\":\"A\",\"source\":\"partner\"}\n{\"name\":\"B\"}", o);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->records[0].report.source, "partner");
  EXPECT_EQ(parsed->records[1].report.source, "spool/x.jsonl");
  EXPECT_EQ(parsed->records[1].record_label, "record 2");
}

TEST(RecordParser, FieldMapRenamesNestsAndDrops) {
  ParseOptions o = FeedOptions("jsonl");
  o.field_map = {{"name_ar_raw", "name"},    {"dob", "date_of_birth"},
                 {"id", "source_record_id"}, {"gov", "place_of_death.governorate"},
                 {"en_name", "names[]"},     {"internal_row", ""},
                 {"first", "name.first"}};
  auto parsed = ParseRecords(
      "{\"id\":\"900000001\",\"name_ar_raw\":\"خالد العمر\",\"en_name\":\"Khaled al-Omar\","
      "\"dob\":\"1990-03-04\",\"gov\":\"Gaza\",\"internal_row\":12}\n"
      "{\"id\":2,\"dob\":\"2023-02-30\",\"name_ar_raw\":\"x\",\"extra\":1}\n",
      o);
  ASSERT_TRUE(parsed.ok());
  const auto& r = parsed->records[0];
  EXPECT_EQ(r.errors, Errors{});
  EXPECT_EQ(r.report.source_record_id, "900000001");
  ASSERT_EQ(r.report.names.size(), 2u);
  EXPECT_EQ(r.report.names[0].full, "خالد العمر");
  EXPECT_EQ(r.report.names[1].full, "Khaled al-Omar");
  EXPECT_EQ(r.report.date_of_birth.ToString(), "1990-03-04");
  EXPECT_EQ(r.report.place_of_death.governorate, "Gaza");

  const auto& bad = parsed->records[1];
  EXPECT_EQ(bad.report.source_record_id, "2");
  EXPECT_EQ(bad.errors,
            (Errors{{"date_of_birth",
                     "not a date: \"2023-02-30\" (use YYYY-MM-DD, YYYY-MM or YYYY) (feed field "
                     "\"dob\")"},
                    {"extra", "unknown field"}}));
}

TEST(RecordParser, DecimalAgesOfInfantsAreWholeYears) {
  ParseOptions o;
  o.source = "s";
  auto parsed = ParseRecords(
      "{\"name\":\"A\",\"age\":\"0.58\"}\n{\"name\":\"B\",\"age\":2.5}\n"
      "{\"name\":\"C\",\"age\":\"1.2.3\"}\n{\"name\":\"D\",\"age\":-1}\n"
      "{\"name\":\"E\",\"age\":\"-1\"}\n{\"name\":\"F\",\"age\":-2}\n",
      o);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->records[0].errors, Errors{});
  EXPECT_EQ(parsed->records[0].report.age.ToString(), "0");
  EXPECT_EQ(parsed->records[0].report.raw_payload, "{\"name\":\"A\",\"age\":\"0.58\"}");
  EXPECT_EQ(parsed->records[1].report.age.ToString(), "2");
  EXPECT_EQ(parsed->records[2].errors,
            (Errors{{"age", "not an age: \"1.2.3\" (years, a range 30-40, child, adult)"}}));
  EXPECT_EQ(parsed->records[3].errors, Errors{});  // -1: not known
  EXPECT_FALSE(parsed->records[3].report.age.known());
  EXPECT_FALSE(parsed->records[4].report.age.known());
  EXPECT_EQ(parsed->records[5].report.age.ToString(), "-2");  // validation rejects it
}

TEST(RecordParser, FieldMappedTwiceIsAnError) {
  ParseOptions o;
  o.source = "s";
  o.field_map = {{"a", "notes"}, {"b", "notes"}};
  auto parsed = ParseRecords("{\"a\":\"x\",\"b\":\"y\",\"name\":\"N\"}", o);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->records[0].errors,
            (Errors{{"notes", "set twice (feed field \"b\" and another)"}}));
}

TEST(RecordParser, JsonDocumentWithRecordsPathKeepsElementTextVerbatim) {
  ParseOptions o = FeedOptions("json");
  o.records_path = "data.records";
  o.cursor_field = "updated";
  const std::string body =
      "{\"meta\":{\"records\":[1]},\"data\":{\"count\":2,\"records\":[\n"
      "  { \"source_record_id\" : \"r1\", \"name\":\"Yusuf \\\"Abu Ali\\\"\", \"updated\": 17 },\n"
      "  {\"source_record_id\":\"r2\",\"name\":\"Fatima\",\"sex\":\"x\",\"updated\":\"18\"}\n"
      "]}}";
  auto parsed = ParseRecords(body, o);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->records.size(), 2u);
  EXPECT_EQ(
      parsed->records[0].report.raw_payload,
      "{ \"source_record_id\" : \"r1\", \"name\":\"Yusuf \\\"Abu Ali\\\"\", \"updated\": 17 }");
  EXPECT_EQ(parsed->records[0].report.names[0].full, "Yusuf \"Abu Ali\"");
  EXPECT_EQ(parsed->records[1].errors, (Errors{{"sex", "unknown sex \"x\" (male, female, unknown)"},
                                               {"updated", "unknown field"}}));
  EXPECT_EQ(parsed->records[1].record_label, "feed moh-daily record 2");
  EXPECT_EQ(parsed->cursors, (std::vector<std::string>{"17", "18"}));
}

TEST(RecordParser, JsonDocumentErrorsAreFileLevel) {
  ParseOptions o = FeedOptions("json");
  o.records_path = "data.records";
  auto missing = ParseRecords("{\"data\":{\"items\":[]}}", o);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "records_path \"data.records\": no such key");

  auto not_array = ParseRecords("{\"data\":{\"records\":{}}}", o);
  EXPECT_EQ(not_array.status().message(), "records_path \"data.records\": not an array");

  auto broken = ParseRecords("{\"data\":", o);
  EXPECT_EQ(broken.status().message(), "malformed JSON at offset 8: Invalid value.");

  o.records_path.clear();
  auto object = ParseRecords("{\"data\":1}", o);
  EXPECT_EQ(object.status().message(), "the document is not an array (set records_path)");

  auto top = ParseRecords("[{\"name\":\"A\"}, 5]", o);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->records.size(), 2u);
  EXPECT_EQ(top->records[1].errors, (Errors{{"", "a record must be a JSON object"}}));
  EXPECT_EQ(top->records[1].report.raw_payload, "5");
}

TEST(RecordParser, CsvWithBomMappingTypesAndBadRows) {
  ParseOptions o = FeedOptions("csv");
  o.field_map = {{"id", "source_record_id"},        {"name_ar_raw", "name"},
                 {"dob", "date_of_birth"},          {"gov", "place_of_death.governorate"},
                 {"torture", "died_under_torture"}, {"roles", "roles"}};
  const std::string body =
      "\xEF\xBB\xBFid,name_ar_raw,dob,sex,age,gov,torture,roles\r\n"
      "900000001,\"العمر, خالد\",1990-03-04,M,33,Gaza,yes,medical;media\r\n"
      "900000002,فاطمة,,F,,,,\r\n"
      "900000003,short row\r\n"
      ",سعيد,2001-01-01,m,child,,no,\r\n";
  auto parsed = ParseRecords(body, o);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& recs = parsed->records;
  ASSERT_EQ(recs.size(), 4u);

  EXPECT_EQ(recs[0].errors, Errors{});
  const Report& r = recs[0].report;
  EXPECT_EQ(r.source_record_id, "900000001");
  EXPECT_EQ(r.names.at(0).full, "العمر, خالد");
  EXPECT_EQ(r.sex, Sex::kMale);
  EXPECT_EQ(r.age.ToString(), "33");
  EXPECT_EQ(r.place_of_death.governorate, "Gaza");
  EXPECT_TRUE(r.died_under_torture);
  EXPECT_EQ(r.roles, (std::vector<std::string>{"medical", "media"}));
  EXPECT_EQ(r.raw_payload,
            "id,name_ar_raw,dob,sex,age,gov,torture,roles\n"
            "900000001,\"العمر, خالد\",1990-03-04,M,33,Gaza,yes,medical;media");

  EXPECT_EQ(recs[1].errors, Errors{});
  EXPECT_EQ(recs[1].report.sex, Sex::kFemale);

  EXPECT_EQ(recs[2].errors, (Errors{{"", "row at line 4 has 2 fields, the header has 8"}}));
  EXPECT_EQ(recs[2].report.source_record_id, "3");
  EXPECT_EQ(recs[2].record_label, "feed moh-daily record 3");

  // No id: the data row number is the fallback.
  EXPECT_EQ(recs[3].errors, Errors{});
  EXPECT_EQ(recs[3].report.source_record_id, "4");
  EXPECT_FALSE(recs[3].report.died_under_torture);
  EXPECT_EQ(recs[3].report.age.ToString(), "child");
}

TEST(RecordParser, CsvRawPayloadReparsesAlone) {
  ParseOptions o = FeedOptions("csv");
  auto first = ParseRecords("name,sex\nA,f\nB,m\n", o);
  ASSERT_TRUE(first.ok());
  auto again = ParseRecords(first->records[1].report.raw_payload, o);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->records.size(), 1u);
  EXPECT_EQ(again->records[0].report.names[0].full, "B");
  EXPECT_EQ(again->records[0].report.sex, Sex::kMale);
}

TEST(RecordParser, CsvFileLevelErrors) {
  ParseOptions o = FeedOptions("csv");
  EXPECT_EQ(ParseRecords("", o).status().message(), "empty CSV: no header row");
  EXPECT_EQ(ParseRecords("a,\"b\n", o).status().message(),
            "malformed CSV header: unterminated quoted field");
  o.format = "xml";
  EXPECT_EQ(ParseRecords("", o).status().message(), "unknown format \"xml\" (jsonl, json, csv)");
}

TEST(RecordParser, FormatForFileName) {
  EXPECT_EQ(FormatForFileName("2024-01-05.jsonl"), "jsonl");
  EXPECT_EQ(FormatForFileName("a.ndjson"), "jsonl");
  EXPECT_EQ(FormatForFileName("a.json"), "json");
  EXPECT_EQ(FormatForFileName("list.csv"), "csv");
  EXPECT_EQ(FormatForFileName("list.txt"), "");
  EXPECT_EQ(FormatForFileName(".csv"), "");
}

}  // namespace
}  // namespace qayd::ingest

namespace qayd::ingest {
namespace {

std::string DeepArrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(RecordParserLimits, DeeplyNestedJsonLineIsOneRejectedRecordNotACrash) {
  ParseOptions o;
  o.source = "s";
  const std::string body = "{\"name\":" + DeepArrays(400000) + "}\n{\"name\":\"Ahmad\"}\n";
  auto parsed = ParseRecords(body, o);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->records.size(), 2u);
  EXPECT_EQ(parsed->records[0].errors,
            (Errors{{"", "JSON nested deeper than 64 levels at offset 71"}}));
  EXPECT_EQ(parsed->records[0].report.raw_payload.size(), body.find('\n'));
  EXPECT_EQ(parsed->records[1].errors, Errors{});
  // A bare nest as a line, and a document of one.
  auto bare = ParseRecords(DeepArrays(400000), o);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->records[0].errors,
            (Errors{{"", "JSON nested deeper than 64 levels at offset 64"}}));
  o.format = "json";
  auto doc = ParseRecords(DeepArrays(400000), o);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "JSON nested deeper than 64 levels at offset 64");
  auto element = ParseRecords("[{\"name\":\"A\"}, " + DeepArrays(70) + "]", o);
  ASSERT_FALSE(element.ok());
}

TEST(RecordParserLimits, RecordLargerThanTheLimitIsRejectedUnparsedWithItsStartKept) {
  ParseOptions o;
  o.source = "s";
  o.max_record_bytes = 1024;
  const std::string big = "{\"name\":\"A\",\"notes\":\"" + std::string(5000, 'x') + "\"}";
  auto parsed = ParseRecords(big + "\n{\"name\":\"B\"}\n", o);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->records.size(), 2u);
  EXPECT_EQ(parsed->records[0].errors,
            (Errors{{"",
                     "record of 5023 bytes is larger than the limit of 1024 bytes (only its "
                     "first 1024 bytes are kept)"}}));
  EXPECT_EQ(parsed->records[0].report.raw_payload, big.substr(0, 1024));
  EXPECT_EQ(parsed->records[0].report.source_record_id, "1");
  EXPECT_EQ(parsed->records[1].errors, Errors{});
  o.format = "csv";
  auto csv = ParseRecords("name,notes\nA," + std::string(2000, 'y') + "\nB,short\n", o);
  ASSERT_TRUE(csv.ok());
  ASSERT_EQ(csv->records.size(), 2u);
  ASSERT_EQ(csv->records[0].errors.size(), 1u);
  EXPECT_NE(csv->records[0].errors[0].problem.find("larger than the limit of 1024 bytes"),
            std::string::npos);
  EXPECT_EQ(csv->records[1].errors, Errors{});
}

TEST(RecordParserLimits, InvalidUtf8KeyIsNamedPrintably) {
  ParseOptions o;
  o.source = "s";
  auto parsed = ParseRecords("{\"name\":\"A\",\"k\xff\":1}\n", o);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->records[0].errors, (Errors{{"k\\xFF", "unknown field"}}));
}

}  // namespace
}  // namespace qayd::ingest
