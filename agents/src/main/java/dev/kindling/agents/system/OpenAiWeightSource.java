package dev.kindling.agents.system;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Business weights from an LLM behind an OpenAI-compatible HTTP endpoint: one {@code POST
 * {base-url}/v1/chat/completions} with the day's KPIs and the controller's weights, whose answer
 * {@code choices[0].message.content} must be exactly the JSON object {@code {"satisfaction": x,
 * "revenue": y, "retention": z}} with finite numbers in [0, 1], not all 0 (see {@link
 * #parseWeights}). The answer is only ever parsed as data, never evaluated.
 *
 * <p>The API key is read, at call time, from the environment variable whose name is configured; it
 * is sent as a bearer token and never logged nor put in a reason. Cost: one HTTP round trip, at
 * most {@code timeout} (connect and response each).
 */
public final class OpenAiWeightSource implements OutsideWeightSource {

  /** The path appended to the base URL. */
  public static final String COMPLETIONS_PATH = "/v1/chat/completions";

  /** The exact fields of an answer. */
  public static final Set<String> ANSWER_FIELDS = Set.of("satisfaction", "revenue", "retention");

  private static final int HTTP_OK = 200;
  private static final int MAX_REASON_CHARS = 200;

  private static final ObjectMapper ENVELOPE = new ObjectMapper();
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private final URI endpoint;
  private final String model;
  private final String apiKeyEnv;
  private final Duration timeout;
  private final UnaryOperator<String> environment;
  private final HttpClient client;

  /**
   * A source calling {@code baseUrl}.
   *
   * @param baseUrl e.g. {@code http://127.0.0.1:8000} (a trailing slash is dropped)
   * @param model the model name sent with the request
   * @param apiKeyEnv the NAME of the environment variable holding the API key; blank for none
   * @param timeout connect and response timeout
   * @param environment looks an environment variable up ({@code System::getenv} in production)
   */
  public OpenAiWeightSource(
      String baseUrl,
      String model,
      String apiKeyEnv,
      Duration timeout,
      UnaryOperator<String> environment) {
    String base = Objects.requireNonNull(baseUrl, "baseUrl").strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.endpoint = URI.create(base + COMPLETIONS_PATH);
    this.model = Objects.requireNonNull(model, "model");
    this.apiKeyEnv = apiKeyEnv == null ? "" : apiKeyEnv.strip();
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public BusinessWeights propose(Kpis kpis, BusinessWeights controllerWeights)
      throws WeightSourceException {
    String key = apiKeyEnv.isEmpty() ? null : environment.apply(apiKeyEnv);
    try {
      return call(kpis, controllerWeights, key);
    } catch (WeightSourceException e) {
      // An endpoint that echoes the key back must not get it into a log or a table.
      if (key != null && !key.isBlank() && e.getMessage().contains(key)) {
        throw new WeightSourceException(e.getMessage().replace(key, "<redacted>"));
      }
      throw e;
    }
  }

  private BusinessWeights call(Kpis kpis, BusinessWeights controllerWeights, String key)
      throws WeightSourceException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(requestBody(kpis, controllerWeights)));
    if (!apiKeyEnv.isEmpty()) {
      if (key == null || key.isBlank()) {
        throw new WeightSourceException(
            "the API key environment variable " + apiKeyEnv + " is not set");
      }
      request.header("Authorization", "Bearer " + key);
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new WeightSourceException(
          "the weight endpoint " + endpoint + " timed out after " + timeout.toMillis() + " ms", e);
    } catch (IOException e) {
      throw new WeightSourceException(
          "the weight endpoint " + endpoint + " could not be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeightSourceException("interrupted while waiting for " + endpoint, e);
    }
    if (response.statusCode() != HTTP_OK) {
      throw new WeightSourceException(
          "the weight endpoint answered HTTP "
              + response.statusCode()
              + ": "
              + abbreviate(response.body()));
    }
    return parseWeights(content(response.body()));
  }

  /** {@code choices[0].message.content} of a chat-completions response body. */
  static String content(String body) throws WeightSourceException {
    JsonNode root;
    try {
      root = ENVELOPE.readTree(body);
    } catch (JsonProcessingException e) {
      throw new WeightSourceException("the response body is not JSON: " + abbreviate(body), e);
    }
    JsonNode content = root == null ? null : root.path("choices").path(0).path("message");
    content = content == null ? null : content.get("content");
    if (content == null || !content.isTextual()) {
      throw new WeightSourceException(
          "the response has no text at choices[0].message.content: " + abbreviate(body));
    }
    return content.textValue();
  }

  /**
   * Parses an answer strictly: one JSON object, nothing before or after it, exactly the fields
   * {@link #ANSWER_FIELDS} (no extra, none missing, none twice), each a JSON number (not a string)
   * that is finite and in [0, 1], not all 0; then normalised.
   *
   * @throws WeightSourceException saying which rule the answer broke
   */
  public static BusinessWeights parseWeights(String answer) throws WeightSourceException {
    JsonNode node;
    try {
      node = STRICT.readTree(answer);
    } catch (JsonProcessingException e) {
      throw new WeightSourceException(
          "the answer is not one strict JSON object: " + abbreviate(answer), e);
    }
    if (node == null || !node.isObject()) {
      throw new WeightSourceException("the answer is not a JSON object: " + abbreviate(answer));
    }
    Set<String> fields = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      fields.add(it.next());
    }
    if (!fields.equals(new TreeSet<>(ANSWER_FIELDS))) {
      throw new WeightSourceException(
          "the answer's fields are "
              + fields
              + ", expected exactly "
              + new TreeSet<>(ANSWER_FIELDS));
    }
    double[] w = new double[3];
    List<String> order = List.of("satisfaction", "revenue", "retention");
    for (int i = 0; i < w.length; i++) {
      JsonNode value = node.get(order.get(i));
      if (!value.isNumber()) {
        throw new WeightSourceException(
            "the answer's " + order.get(i) + " is not a number: " + abbreviate(value.toString()));
      }
      w[i] = value.doubleValue();
      if (!Double.isFinite(w[i]) || w[i] < 0 || w[i] > 1) {
        throw new WeightSourceException(
            "the answer's " + order.get(i) + " is " + value + ", outside [0, 1]");
      }
    }
    if (w[0] + w[1] + w[2] <= 0) {
      throw new WeightSourceException("the answer's weights are all 0");
    }
    return BusinessWeights.normalised(w[0], w[1], w[2]);
  }

  private String requestBody(Kpis kpis, BusinessWeights controllerWeights) {
    ObjectNode body = ENVELOPE.createObjectNode();
    body.put("model", model);
    body.put("temperature", 0);
    body.putObject("response_format").put("type", "json_object");
    ArrayNode messages = body.putArray("messages");
    messages
        .addObject()
        .put("role", "system")
        .put(
            "content",
            "You set the business weights of a recommender's heating allocation. Answer with one"
                + " JSON object and nothing else, with exactly the number fields satisfaction,"
                + " revenue and retention, each in [0, 1], summing to 1.");
    ObjectNode facts = ENVELOPE.createObjectNode();
    facts.put("impressions", kpis.impressions());
    if (kpis.impressions() > 0) {
      facts.put("new_content_share", kpis.newContentShare());
      facts.put("ctr", kpis.ctr());
    }
    ObjectNode current = facts.putObject("controller_weights");
    current.put("satisfaction", controllerWeights.satisfaction());
    current.put("revenue", controllerWeights.revenue());
    current.put("retention", controllerWeights.retention());
    messages.addObject().put("role", "user").put("content", facts.toString());
    return body.toString();
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "null";
    }
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= MAX_REASON_CHARS
        ? "'" + flat + "'"
        : "'" + flat.substring(0, MAX_REASON_CHARS) + "...'";
  }

  @Override
  public String toString() {
    return "OpenAiWeightSource[" + endpoint + ", model " + model + "]";
  }
}
