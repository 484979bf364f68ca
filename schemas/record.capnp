@0x9eab4e762621aa5d;
# One captured record: what a device saw, in the order it saw it.
#
# Evolution rules (docs/protocol.md): add fields and union members with the next
# ordinal; never renumber, retype or reuse one; rename a dead field `obsolete...`.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("fieldflow::wire");

struct Envelope {
  deviceId @0 :Text;
  # The capturing handheld, as enrolled at the gateway.

  seq @1 :UInt64;
  # Per-device sequence number: starts at 1, strictly increasing, never reused.
  # (deviceId, seq) is the record's identity; the gateway deduplicates on it.

  repId @2 :Text;
  # The rep signed in on the device when the record was captured.

  capturedAtMs @3 :Int64;
  # Device clock at capture, milliseconds since the Unix epoch (UTC).

  payload :union {
    unset @4 :Void;
    # First so that an envelope whose payload was never set reads as nothing
    # rather than as a check-in. The gateway rejects it as `unsupported_kind`,
    # exactly as it rejects a member added after it was built.

    checkIn @5 :CheckIn;
    stockCount @6 :StockCount;
    checkOut @7 :CheckOut;
    scan @8 :Scan;
    terminalSales @11 :TerminalSales;
    purchase @12 :Purchase;
    promotion @13 :Promotion;
    display @14 :Display;
    competitor @15 :Competitor;
    distributorStock @16 :DistributorStock;
    flow @18 :Flow;
  }

  clockSkewMs @9 :Int64;
  # Device clock minus GPS time, as last measured from a live receiver;
  # meaningful only when clockSkewKnown. Lets the gateway judge capturedAtMs.

  clockSkewKnown @10 :Bool;

  corrects @17 :UInt64;
  # The seq of an earlier record of this device that this one corrects (the
  # rep fixing what the gateway flagged); 0 for none. The earlier record is
  # never changed: both are kept, and the later one says what it replaces.
}

struct CheckIn {
  terminal @0 :Text;
  # terminals.csv terminal_id.

  lat @1 :Float64;
  lon @2 :Float64;
  # WGS-84 degrees of the fix used for the check-in.

  accuracyM @3 :Float32;
  # The receiver's stated horizontal accuracy, metres (one sigma).

  fix @4 :FixStatus;
  # How the device judged the fix it used.

  fixAgeMs @5 :Int64;
  # Age of the fix on the receiver's clock when the rep checked in.

  reason @6 :Text;
  # Why the rep checks in farther from the terminal than its radius plus
  # the fix's accuracy, as the rep typed it (`checkin --reason`); empty
  # otherwise. The gateway still flags the check-in and shows it.

  photoFile @7 :Text;
  # The storefront photo's (门头照) file name as the rep gave it; empty for none.
  photoSha256 @8 :Text;
  # Hex SHA-256 of the photo, taken on the device. The photo itself travels
  # after the records (protocol.capnp's PhotoChunk), named by this hash.
}

enum FixStatus {
  manual @0;
  # Entered by hand (or by a test): no receiver involved.
  ok @1;
  staleFix @2;
  lowAccuracy @3;
  noFix @4;
}

struct StockCount {
  terminal @0 :Text;
  # The terminal of the open visit the count was taken in.

  product @1 :Text;
  # products.csv product_id.

  lot @2 :Text;
  # Batch number printed on the pack; empty when not counted per lot.

  qty @3 :Int32;
  # Packs on hand. Signed so that a bad entry reaches the gateway and is
  # rejected there with a reason, instead of wrapping around.

  scanned @4 :Bool;
  # Counted pack by pack with the scanner (each pack also sent as a scan).
}

struct CheckOut {
  terminal @0 :Text;
  # The terminal the device believes it is leaving.

  checkInSeq @1 :UInt64;
  # seq of the check-in this closes; 0 when the device had none open.

  automatic @2 :Bool;
  # Written by the device itself when a new check-in found this visit still
  # open, rather than by the rep checking out.
}

struct Scan {
  terminal @0 :Text;
  # The terminal of the open visit the code was scanned in.

  symbology @1 :Text;
  # As the reader reported it: ean13, upca, ean8, code128, datamatrix, qr,
  # itf, or unknown (a keyboard-wedge scanner without an AIM prefix).

  content @2 :Text;
  # Exactly as read: the AIM symbology identifier when there is one (]d2,
  # ]C1, ...), then the text, with GS1 FNC1 as ASCII 29. The gateway parses
  # it; the device never "corrects" it.

  source @3 :ScanSource;

  imageFile @4 :Text;
  # The camera frame's file name, when the code came from one.
}

enum ScanSource {
  unknown @0;
  camera @1;
  scanner @2;
}

# Visit report kinds (巡店报告). Money is in fen (0.01 yuan); dates are
# YYYY-MM-DD in the terminal's local calendar.

struct TerminalSales {
  # What the terminal sold of a product since the rep's last visit.
  terminal @0 :Text;
  product @1 :Text;
  qty @2 :Int32;
  since @3 :Text;
  # The first day the figure covers.
}

struct Purchase {
  # Stock the terminal received (进货), and from which distributor.
  terminal @0 :Text;
  product @1 :Text;
  lot @2 :Text;
  qty @3 :Int32;
  supplier @4 :Text;
  # distributors.csv distributor_id.
}

struct Promotion {
  terminal @0 :Text;
  product @1 :Text;
  kind @2 :Text;
  # discount, gift, bundle, member_price, other.
  priceFen @3 :Int64;
  start @4 :Text;
  end @5 :Text;
}

struct Display {
  terminal @0 :Text;
  product @1 :Text;
  special @2 :Bool;
  # A special display (end cap, stacking, counter) rather than the basic shelf.
  facings @3 :Int32;
  shelfPosition @4 :Text;
  # eye, top, middle, bottom, counter, end_cap.
  photoFile @5 :Text;
  photoSha256 @6 :Text;
  # Hex SHA-256 of the photo file, taken on the device.
}

struct Competitor {
  terminal @0 :Text;
  brand @1 :Text;
  product @2 :Text;
  # Free text: a competitor's product is not in our master data.
  priceFen @3 :Int64;
  note @4 :Text;
}

struct DistributorStock {
  # A commercial rep's report of what a distributor holds.
  distributor @0 :Text;
  product @1 :Text;
  lot @2 :Text;
  qty @3 :Int32;
  date @4 :Text;
  reportId @5 :Text;
  # The distributor's own report id, when the line comes from its stock file
  # (`fieldflow-agent upload stock`); empty for a count the rep typed.
}

struct Flow {
  # One row of a distributor's flow data (流向数据), collected by a
  # commercial rep (`fieldflow-agent upload flows`): the same row a
  # `fieldflow import flows` file holds.
  flowId @0 :Text;
  date @1 :Text;
  seller @2 :Text;
  buyer @3 :Text;
  product @4 :Text;
  lot @5 :Text;
  qty @6 :Int64;
  # Negative for a return.
}
