package org.fgclip2.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import java.util.Map;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.config.AppConfig;
import org.junit.jupiter.api.Test;

/** {@code log.format} switches the console between the readable pattern and JSON lines, text by default. */
class LogFormatTest {

    private static Object consoleLayout() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        ConsoleAppender console = context.getConfiguration().getAppender("console");
        return console.getLayout();
    }

    @Test
    void textByDefaultJsonWhenSetAndBack() {
        assertThat(new AppConfig(Map.of()).logFormat()).isEqualTo("text");
        assertThat(consoleLayout()).isInstanceOf(PatternLayout.class);
        try {
            LogFormat.apply(new AppConfig(Map.of("log.format", "JSON")).logFormat());
            assertThat(consoleLayout()).isInstanceOf(JsonTemplateLayout.class);
        } finally {
            LogFormat.apply("text");
        }
        assertThat(consoleLayout()).isInstanceOf(PatternLayout.class);
    }

    @Test
    void anotherFormatIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new AppConfig(Map.of("log.format", "xml")).validate())
                .isInstanceOf(UserInputException.class).hasMessageContaining("log.format")
                .hasMessageContaining("FGCLIP2_LOG_FORMAT").hasMessageContaining("text or json");
    }
}
