@0xfec5d3f3b076a23e;
# The agent–gateway conversation. Each message travels as one Cap'n Proto
# stream frame (segment table, then segments); see docs/protocol.md.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("fieldflow::wire");

const protocolVersion :UInt32 = 1;

struct ClientMessage {
  union {
    hello @0 :Hello;
    batch @1 :Batch;
    deflatedBatch @2 :Data;
    # A Batch as its own serialized message (stream frame), compressed with
    # deflate (zlib format). Sent only to a gateway whose welcome offers it;
    # the gateway inflates at most its frame limit and answers as for `batch`.
    photoChunk @3 :PhotoChunk;
    # Part of a photo a record names by its hash; sent after the records,
    # only to a gateway whose welcome announces photo limits. Answered by a
    # photoReceipt.
  }
}

struct Hello {
  protocolVersion @0 :UInt32;
  deviceId @1 :Text;
  repId @2 :Text;
  agentVersion @3 :Text;
  outboxDepth @4 :UInt64;
  # Records still queued on the device when it connected.
  credential @5 :Text;
  # The token `fieldflow device enroll` printed for this device. A gateway
  # that requires enrolment (the default) refuses a hello without the right
  # one with the error `unauthenticated`.
  freshOutbox @6 :Bool;
  # The device's outbox has never numbered a record (its next seq is 1):
  # it was initialised anew, after its storage was wiped or the agent
  # reinstalled. The welcome then says which seqs the gateway already holds
  # for the device, so that its new records do not reuse them.
  masterVersion @7 :UInt64 = 0xffffffffffffffff;
  # The master-data version the device holds (0: none) and wants brought up
  # to date: the gateway answers with `downlink` frames, at least one, and
  # then the welcome. The default, which every hello from before the field
  # reads as, asks for nothing, so an older agent is answered as it always
  # was; a gateway from before the field sends the welcome alone.
  planVersion @8 :UInt64 = 0xffffffffffffffff;
  # The visit-plan version the device holds (0: none, or a plan it wants
  # sent again whole, as on a new day) and wants brought up to date, in the
  # same downlink frames as the master data. The default asks for nothing.
}

struct Batch {
  records @0 :List(Data);
  # Each element is one Envelope as a serialized message, byte for byte as the
  # agent stored it at capture. Keeping records opaque here means one damaged
  # record is rejected on its own and kept verbatim in quarantine, while the
  # rest of the batch is judged normally.
}

struct ServerMessage {
  union {
    welcome @0 :Welcome;
    ack @1 :Ack;
    error @2 :Error;
    downlink @3 :Data;
    # One part of a Downlink, as its own serialized message deflated (zlib
    # format) as deflatedBatch is. Sent only to a hello with a masterVersion,
    # once the hello is accepted: every part of one Downlink (one part saying
    # nothing when the device is up to date), then the welcome. The device
    # is brought up to date before it uploads, and a batch never waits
    # behind a downlink.
    photoReceipt @4 :PhotoReceipt;
    # The answer to each photoChunk.
  }
}

struct Downlink {
  # What changed for one device since the versions its hello says it holds,
  # in one or more parts (each within the frame limit). The device applies
  # them only once the last part is in, all in one transaction; a device that
  # lost the connection before that keeps what it held and asks again.
  part @0 :UInt32;
  # 1 for the first part.
  parts @1 :UInt32;
  master @2 :MasterDelta;
  # Absent when the device's master data is up to date.
  plan @3 :PlanDelta;
  # Absent when the device's plan is up to date or it did not ask; in the
  # last part when present.
}

struct PlanDelta {
  # The rep's visit plan from yesterday to seven days ahead (China Standard
  # Time), whole: the device drops the plan it holds and keeps these visits.
  fromVersion @0 :UInt64;
  # The plan version the hello named.
  toVersion @1 :UInt64;
  # The store's plan version the visits are read at.
  firstDay @2 :Int32;
  lastDay @3 :Int32;
  # The days the visits cover, both included, in days since 1970-01-01.
  visits @4 :List(PlannedVisit);
}

struct PlannedVisit {
  day @0 :Int32;
  # Days since 1970-01-01.
  order @1 :UInt32;
  # 1 for the day's first stop.
  terminal @2 :Text;
  purpose @3 :Text;
  # Why the visit is planned; empty when the plan gives no reason.
}

struct MasterDelta {
  # The device's slice of the master data: the terminals of its rep's
  # territories, every product, the distributors serving those territories.
  fromVersion @0 :UInt64;
  # The version the delta applies to: the one the hello named.
  toVersion @1 :UInt64;
  # The version the device holds once every part is applied.
  replace @2 :Bool;
  # The gateway does not know `fromVersion`: the device drops the slice it
  # holds and keeps only what this delta brings.
  terminals @3 :List(MasterTerminal);
  # Added or changed, whole.
  removedTerminals @4 :List(Text);
  products @5 :List(MasterProduct);
  removedProducts @6 :List(Text);
  distributors @7 :List(MasterDistributor);
  removedDistributors @8 :List(Text);
  repRole @9 :Text;
  # The role of the device's own rep at `toVersion`: retail, otc or
  # commercial (reps.csv), empty when that version has no such rep. In
  # every part, whole, for a change of role moves the version as any row's
  # does. The rep's app offers the upload of distributors' files to a
  # commercial rep only. Absent (a gateway from before the field): the
  # device knows no role, and keeps the upload hidden.
}

struct MasterTerminal {
  id @0 :Text;
  name @1 :Text;
  address @2 :Text;
  # Empty when terminals.csv gives none (its address column is optional).
  lat @3 :Float64;
  lon @4 :Float64;
  radiusM @5 :Float64;
  grade @6 :Text;
  # A, B or C.
  territory @7 :Text;
  kind @8 :Text;
  # hospital, pharmacy or clinic.
}

struct MasterProduct {
  id @0 :Text;
  name @1 :Text;
  gtins @2 :List(Text);
  drugCodePrefix @3 :Text;
  # The 7-digit drug identifier that begins its traceability codes; empty
  # when the master data has none.
  spec @4 :Text;
  unit @5 :Text;
}

struct MasterDistributor {
  id @0 :Text;
  name @1 :Text;
  tier @2 :UInt8;
  territories @3 :List(Text);
}

struct Welcome {
  protocolVersion @0 :UInt32;
  gatewayId @1 :Text;
  maxFrameBytes @2 :UInt32;
  maxBatchRecords @3 :UInt32;
  acceptsDeflate @4 :Bool;
  # The gateway reads `deflatedBatch`. Records repeat their device, rep and
  # terminal: a batch of them deflates to a fraction of its size.
  maxBatchesInFlight @5 :UInt32;
  # Batches the gateway reads ahead of their acks on this connection: the
  # agent may send that many before it waits for the first one's ack. 0
  # (a gateway from before it was announced): one at a time.
  highestSeq @6 :UInt64;
  # Answers a hello with `freshOutbox`: the highest seq the gateway holds
  # for the device, accepted or quarantined (0: none, or a gateway from
  # before it was announced). The agent numbers its records after it. The
  # records of the device's earlier life are not touched.
  photos @7 :PhotoLimits;
  # What the gateway takes of photos. Absent or zero (a gateway from before
  # photos, or one that takes none): the agent keeps its photos and sends
  # only its records.
}

struct PhotoLimits {
  maxPhotoBytes @0 :UInt64;
  # A photo larger than this is refused (`too_large`); 0: no photos taken.
  chunkBytes @1 :UInt32;
  # The most bytes one PhotoChunk may carry.
}

struct PhotoChunk {
  sha256 @0 :Text;
  # The photo's hex SHA-256, as its record carries it.
  totalBytes @1 :UInt64;
  # The whole photo's size.
  offset @2 :UInt64;
  # Where `bytes` starts in the photo. The gateway takes a chunk only at the
  # offset it holds up to; a chunk elsewhere, or one without bytes, is
  # answered with that offset, so an agent asks where to resume by sending
  # an empty chunk at 0.
  bytes @3 :Data;
}

struct PhotoReceipt {
  sha256 @0 :Text;
  heldBytes @1 :UInt64;
  # How much of the photo the gateway holds durably; the agent sends from here.
  committed @2 :Bool;
  # The whole photo is stored and its hash checked: the device may delete it.
  refused @3 :Text;
  # Empty, or why the photo is never taken: too_large, not_an_image,
  # wrong_hash, bad_chunk. The agent marks the photo refused and does not
  # send it again.
  detail @4 :Text;
  # Human-readable context for `refused`.
}

struct Ack {
  results @0 :List(RecordResult);
  # One per record of the batch, in the batch's order. Sent only after every
  # record of the batch is committed to the store.
}

enum Verdict {
  unspecified @0;
  # Never sent; an agent that reads it keeps the record queued.
  accepted @1;
  flagged @2;
  rejected @3;
}

struct RecordResult {
  seq @0 :UInt64;
  # The record's seq as the gateway read it; 0 when the record could not be parsed.

  verdict @1 :Verdict;
  reasons @2 :List(Reason);

  duplicate @3 :Bool;
  # The record was already stored; the verdict is the one given the first time.
}

struct Reason {
  code @0 :Text;
  # Stable snake_case name, listed in docs/protocol.md. Text rather than an
  # enum so that an old agent can show a code added after it was built.

  detail @1 :Text;
  # Human-readable context, e.g. the distance for `outside_geofence`.
}

struct Error {
  code @0 :Text;
  # malformed_frame, frame_too_large, handshake_required, protocol_version,
  # too_many_records, timeout, store_unavailable, unauthenticated: the names
  # of wire::ErrorCode (schemas/error_code.h). Text so that an agent shows a
  # code added after it was built; it retries on one it does not know.

  message @1 :Text;
}
