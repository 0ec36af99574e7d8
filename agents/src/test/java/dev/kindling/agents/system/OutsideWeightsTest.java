package dev.kindling.agents.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outside weight source against a real local HTTP server (127.0.0.1, an ephemeral port): a good
 * answer is used, held near the controller's weights; malformed, out-of-range and hostile answers,
 * HTTP errors and timeouts all fall back to the controller's weights with the reason recorded; the
 * API key travels as a bearer token from the named environment variable and is in no reason.
 */
class OutsideWeightsTest {

  private static final String KEY_ENV = "KINDLING_TEST_WEIGHTS_KEY";
  private static final String KEY = "sk-secret-test-key-123";
  private static final BusinessWeights CONTROLLER = new BusinessWeights(0.4, 0.3, 0.3);
  private static final Kpis KPIS = new Kpis(1000, 0.1, 0.04);
  private static final WeightResolver RESOLVER = new WeightResolver(0.05, 0.9, 0.1);
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private HttpServer server;
  private final AtomicReference<Answer> answer = new AtomicReference<>();
  private final List<String> authorizations = new ArrayList<>();

  private record Answer(int status, String body, long delayMillis) {}

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        OpenAiWeightSource.COMPLETIONS_PATH,
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          synchronized (authorizations) {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          }
          Answer a = answer.get();
          try {
            Thread.sleep(a.delayMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
          try {
            exchange.sendResponseHeaders(a.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          } catch (IOException e) {
            // The client gave up (timeout): nothing to answer.
          }
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void aGoodAnswerIsUsedHeldNearTheControllerWeights() {
    WeightDecision decision =
        resolve(
            200, completion("{\"satisfaction\": 0.2, \"revenue\": 0.2, \"retention\": 0.6}"), 0);
    assertThat(decision.source()).as("the outside answer was used").isEqualTo("outside");
    assertThat(decision.fallbackReason()).as("no fallback").isNull();
    assertThat(decision.weights().retention())
        .as("retention moved up, but held within about 0.1 of the controller's 0.3")
        .isGreaterThan(0.3)
        .isLessThanOrEqualTo(0.3 + 0.1 + 0.05);
    assertThat(
            decision.weights().satisfaction()
                + decision.weights().revenue()
                + decision.weights().retention())
        .as("normalised")
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(authorizations)
        .as("the key from the named variable, as a bearer token")
        .containsExactly("Bearer " + KEY);
  }

  @Test
  void badAnswersFallBackToTheControllerWeightsWithTheReason() {
    Map<String, String> contents =
        Map.ofEntries(
            Map.entry("not JSON", "raise the retention weight a bit"),
            Map.entry(
                "extra field",
                "{\"satisfaction\": 0.3, \"revenue\": 0.3, \"retention\": 0.4, \"note\": 1}"),
            Map.entry("missing field", "{\"satisfaction\": 0.5, \"revenue\": 0.5}"),
            Map.entry("negative", "{\"satisfaction\": -0.3, \"revenue\": 0.8, \"retention\": 0.5}"),
            Map.entry("NaN", "{\"satisfaction\": NaN, \"revenue\": 0.5, \"retention\": 0.5}"),
            Map.entry(
                "NaN as a string",
                "{\"satisfaction\": \"NaN\", \"revenue\": 0.5, \"retention\": 0.5}"),
            Map.entry("above 1", "{\"satisfaction\": 7, \"revenue\": 0.5, \"retention\": 0.5}"),
            Map.entry(
                "overflow", "{\"satisfaction\": 1e400, \"revenue\": 0.5, \"retention\": 0.5}"),
            Map.entry(
                "duplicate field",
                "{\"satisfaction\": 0.2, \"satisfaction\": 0.9, \"revenue\": 0.5, \"retention\": 0.5}"),
            Map.entry("all zero", "{\"satisfaction\": 0, \"revenue\": 0, \"retention\": 0}"),
            Map.entry(
                "trailing text",
                "{\"satisfaction\": 0.3, \"revenue\": 0.3, \"retention\": 0.4} and more"),
            Map.entry("an array", "[0.3, 0.3, 0.4]"),
            Map.entry(
                "code",
                "{\"satisfaction\": \"java.lang.Runtime.getRuntime().exec('rm -rf /')\","
                    + " \"revenue\": \"${jndi:ldap://127.0.0.1/x}\", \"retention\": \"__import__('os')\"}"),
            Map.entry("code, bare", "function(){ return {satisfaction: 1} }()"));
    for (Map.Entry<String, String> e : contents.entrySet()) {
      assertFallback(e.getKey(), resolve(200, completion(e.getValue()), 0));
    }
    assertFallback("envelope not JSON", resolve(200, "<html>oops</html>", 0));
    assertFallback("no choices", resolve(200, "{\"choices\": []}", 0));
    assertFallback(
        "content not text",
        resolve(200, "{\"choices\": [{\"message\": {\"content\": {\"satisfaction\": 1}}}]}", 0));
    WeightDecision http500 = resolve(500, "{\"error\": \"overloaded\"}", 0);
    assertFallback("HTTP 500", http500);
    assertThat(http500.fallbackReason()).as("the reason names the status").contains("HTTP 500");
    WeightDecision http401 = resolve(401, "{\"error\": \"bad key " + KEY + "\"}", 0);
    assertFallback("HTTP 401 echoing the key", http401);
    assertThat(http401.fallbackReason()).as("the echoed key is redacted").contains("<redacted>");
    WeightDecision slow =
        resolve(
            200, completion("{\"satisfaction\": 0.3, \"revenue\": 0.3, \"retention\": 0.4}"), 2000);
    assertFallback("timeout", slow);
    assertThat(slow.fallbackReason()).as("the reason says it timed out").contains("timed out");
  }

  @Test
  void unreachableEndpointAndUnsetKeyFallBack() {
    int port = server.getAddress().getPort();
    server.stop(0);
    OpenAiWeightSource gone =
        new OpenAiWeightSource("http://127.0.0.1:" + port, "m", KEY_ENV, TIMEOUT, name -> KEY);
    assertFallback(
        "unreachable",
        RESOLVER.resolve("outside", CONTROLLER, CONTROLLER, Optional.of(gone), KPIS));
    OpenAiWeightSource noKey =
        new OpenAiWeightSource("http://127.0.0.1:" + port, "m", KEY_ENV, TIMEOUT, name -> null);
    WeightDecision decision =
        RESOLVER.resolve("outside", CONTROLLER, CONTROLLER, Optional.of(noKey), KPIS);
    assertFallback("key unset", decision);
    assertThat(decision.fallbackReason()).as("the reason names the variable").contains(KEY_ENV);
    assertFallback(
        "no source", RESOLVER.resolve("outside", CONTROLLER, CONTROLLER, Optional.empty(), KPIS));
  }

  private static void assertFallback(String what, WeightDecision decision) {
    assertThat(decision.source())
        .as("%s: falls back to the controller", what)
        .isEqualTo("controller");
    assertThat(decision.weights()).as("%s: the controller's weights", what).isEqualTo(CONTROLLER);
    assertThat(decision.fallbackReason()).as("%s: a reason is recorded", what).isNotBlank();
    assertThat(decision.fallbackReason())
        .as("%s: the key is never in the reason", what)
        .doesNotContain(KEY);
  }

  private WeightDecision resolve(int status, String body, long delayMillis) {
    answer.set(new Answer(status, body, delayMillis));
    OpenAiWeightSource source =
        new OpenAiWeightSource(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/",
            "test-model",
            KEY_ENV,
            TIMEOUT,
            name -> KEY_ENV.equals(name) ? KEY : null);
    return RESOLVER.resolve("outside", CONTROLLER, CONTROLLER, Optional.of(source), KPIS);
  }

  private static String completion(String content) {
    String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
    return "{\"id\": \"x\", \"object\": \"chat.completion\", \"choices\": [{\"index\": 0,"
        + " \"message\": {\"role\": \"assistant\", \"content\": \""
        + escaped
        + "\"},"
        + " \"finish_reason\": \"stop\"}]}";
  }
}
