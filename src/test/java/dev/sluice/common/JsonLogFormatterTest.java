package dev.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
    @Test
    void eachRecordIsOneLineOfValidJsonWithTheMdcAndTheStackTrace() throws Exception {
        MDC.put("jobId", "01a2-job");
        try {
            ExtLogRecord r = new ExtLogRecord(
                    Level.WARNING,
                    "Import %s: said \"no\"\nsecond line",
                    ExtLogRecord.FormatStyle.PRINTF,
                    JsonLogFormatterTest.class.getName());
            r.setParameters(new Object[] {"x"});
            r.setLoggerName("dev.sluice.imports.ImportRunner");
            r.setThrown(new IllegalStateException("boom"));
            r.copyMdc();
            String line = new JsonLogFormatter().format(r);
            assertThat(line).endsWith("}\n");
            assertThat(line.strip()).doesNotContain("\n");
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.get("level").asText()).isEqualTo("WARNING");
            assertThat(json.get("logger").asText()).isEqualTo("dev.sluice.imports.ImportRunner");
            assertThat(json.get("message").asText()).isEqualTo("Import x: said \"no\"\nsecond line");
            assertThat(json.get("jobId").asText()).isEqualTo("01a2-job");
            assertThat(json.get("exception").asText()).contains("IllegalStateException: boom");
            assertThat(json.get("stackTrace").asText()).contains("JsonLogFormatterTest");
            assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        } finally {
            MDC.remove("jobId");
        }
    }
}
