import { equal, match } from "node:assert/strict";
import { Hub } from "./hub/hub.ts";
import { fakeClock, FakeSink, initSegment, mediaSegment } from "./hub/_testing.ts";
import { reasonForStatus, ServerMetrics } from "./server_metrics.ts";

function setup() {
  const clock = fakeClock(0);
  const metrics: ServerMetrics = new ServerMetrics({
    hub: () => hub,
    version: "1.2.3",
    uptimeSeconds: () => 42.7,
    now: clock.now,
  });
  const hub = new Hub({ now: clock.now, onRoomEnded: (room) => metrics.roomEnded(room) });
  return { hub, metrics, clock };
}

const line = (text: string, series: string) =>
  text.split("\n").find((l) => l.startsWith(`${series} `))?.slice(series.length + 1);

Deno.test("ServerMetrics reads gauges and per-track bytes from the hub at scrape time", () => {
  const { hub, metrics } = setup();
  const { room, key } = hub.create();
  room.join(new FakeSink());
  const publisher = room.publish(key, () => {});
  publisher.start("camera");
  publisher.push("camera", initSegment());
  publisher.push("camera", mediaSegment(0, { keyframe: true, size: 100 }));
  const text = metrics.render();
  equal(line(text, 'chalkcast_info{version="1.2.3"}'), "1");
  equal(line(text, "chalkcast_uptime_seconds"), "42");
  equal(line(text, "chalkcast_rooms"), "1");
  equal(line(text, "chalkcast_rooms_live"), "1");
  equal(line(text, "chalkcast_viewers"), "1");
  equal(line(text, "chalkcast_publishers"), "1");
  const bytesIn = Number(
    line(text, `chalkcast_track_bytes_in_total{room="${room.id}",track="camera"}`),
  );
  equal(bytesIn > 100, true);
  equal(line(text, "chalkcast_bytes_in_total"), String(bytesIn));
});

Deno.test("ServerMetrics keeps server-wide totals after a room ends", () => {
  const { hub, metrics } = setup();
  const { room, key } = hub.create();
  const publisher = room.publish(key, () => {});
  publisher.start("camera");
  publisher.push("camera", initSegment());
  const before = line(metrics.render(), "chalkcast_bytes_in_total");
  metrics.chatMessage();
  metrics.rejected("ws", "rate-limited");
  hub.delete(room.id);
  const text = metrics.render();
  equal(line(text, "chalkcast_bytes_in_total"), before);
  equal(line(text, "chalkcast_rooms"), "0");
  equal(line(text, "chalkcast_chat_messages_total"), "1");
  equal(line(text, 'chalkcast_rejected_requests_total{reason="rate-limited",transport="ws"}'), "1");
  equal(text.includes(`room="${room.id}"`), false);
});

Deno.test("reasonForStatus() names HTTP statuses like the error codes", () => {
  equal(reasonForStatus(401), "auth");
  equal(reasonForStatus(503), "capacity");
  equal(reasonForStatus(413), "too-large");
  match(reasonForStatus(418), /^http-418$/);
});
