package org.fgclip2.app;

import java.lang.reflect.Field;
import java.util.Map;
import org.fgclip2.app.cli.ModelOptions;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.config.ConfigSource;
import org.fgclip2.app.config.Settings;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The model options of every command stand for settings of {@code run} ({@code --model} for {@code model}, ...):
 * they take their defaults where {@code run} takes the setting, from an {@code FGCLIP2_*} variable or else the
 * settings table, so that no two commands disagree on what runs when nothing is said.
 */
final class SettingsDefaults implements IDefaultValueProvider {

    private static final Map<String, String> SETTING_OF_OPTION = Map.of(
            "--model", "model",
            "--device", "model.device",
            "--dtype", "model.dtype",
            "--threads", "model.threads");

    private final Map<String, String> fromEnvironment;

    /** @param environment the process environment, whose {@code FGCLIP2_*} variables are settings */
    SettingsDefaults(Map<String, String> environment) {
        this.fromEnvironment = settingsOf(environment);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && arg.userObject() instanceof Field field
                && field.getDeclaringClass() == ModelOptions.class) {
            String key = SETTING_OF_OPTION.get(option.longestName());
            return key == null ? null : fromEnvironment.getOrDefault(key, Settings.BY_KEY.get(key).defaultValue());
        }
        return null;
    }

    /** An unknown FGCLIP2_* variable is reported by the command that reads the settings, not by its help. */
    private static Map<String, String> settingsOf(Map<String, String> environment) {
        try {
            return ConfigSource.load(null, environment);
        } catch (UserInputException e) {
            return Map.of();
        }
    }
}
