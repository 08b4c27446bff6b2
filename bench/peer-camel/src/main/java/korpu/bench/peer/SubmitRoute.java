package korpu.bench.peer;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.springframework.stereotype.Component;

/**
 * POST /v1/messages: validate the JSON body against message.schema.json, produce it to the bench topic (the Kafka
 * component's acks=all, idempotence and SASL come from application.properties), answer 202 once the broker acked it.
 */
@Component
public class SubmitRoute extends RouteBuilder {
  @Override
  public void configure() {
    onException(JsonValidationException.class)
        .handled(true)
        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400))
        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
        .setBody(constant("{\"error\":\"invalid\"}"));

    from("platform-http:/v1/messages?httpMethodRestrict=POST")
        .routeId("submit")
        .convertBodyTo(String.class)
        .to("json-validator:message.schema.json")
        .removeHeaders("*")
        .to("kafka:{{peer.topic}}")
        .removeHeaders("*")
        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
        .setBody(constant("{\"accepted\":true}"));
  }
}
