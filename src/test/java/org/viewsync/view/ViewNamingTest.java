package org.viewsync.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.viewsync.config.ViewSyncProperties;
import org.viewsync.targets.MariaDbDialect;
import org.viewsync.targets.PostgreSqlDialect;
import org.viewsync.targets.Target;

class ViewNamingTest {

    static final Target POSTGRES = new Target("pg", "immuta_views", new PostgreSqlDialect(), List.of("PostgreSQL"));
    static final Target MARIADB = new Target("maria", "immuta_views", new MariaDbDialect(), List.of("MariaDB"));

    final ViewNaming naming = naming("{project}__{table}");

    static ViewNaming naming(String template) {
        ViewSyncProperties properties = new ViewSyncProperties();
        properties.getViews().setNameTemplate(template);
        return new ViewNaming(properties);
    }

    @Test
    void joinsSluggedProjectAndTableNames() {
        assertThat(naming.name(POSTGRES, "Regulated Clients", "customer")).isEqualTo("regulated_clients__customer");
        assertThat(naming.name(POSTGRES, "Données Clients – EU", "Übersicht")).isEqualTo("donnees_clients_eu__ubersicht");
    }

    @Test
    void hostileNamesBecomePlainIdentifiers() {
        String name = naming.name(POSTGRES, "x\"; DROP TABLE sales.customers; --", "`t`'); DELETE FROM x; /*");
        assertThat(name).matches("[a-z][a-z0-9_]*").isEqualTo("x_drop_table_sales_customers__t_delete_from_x");
    }

    @Test
    void namesWithoutLettersStillNameSomething() {
        assertThat(naming.name(POSTGRES, "2024", "数据")).isEqualTo("v_2024__x");
        assertThat(naming.name(POSTGRES, "", null)).isEqualTo("x__x");
    }

    @Test
    void longNamesAreCutToTheDatabasesLimitWithAStableDistinctSuffix() {
        String project = "p".repeat(300);
        String postgres = naming.name(POSTGRES, project, "customers");
        String maria = naming.name(MARIADB, project, "customers");
        String other = naming.name(POSTGRES, project, "orders");

        assertThat(postgres.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(maria.getBytes(StandardCharsets.UTF_8)).hasSize(64);
        assertThat(postgres).matches("p{54}_[0-9a-f]{8}");
        assertThat(other).hasSize(63).isNotEqualTo(postgres);
        assertThat(naming.name(POSTGRES, project, "customers")).isEqualTo(postgres);
    }

    @Test
    void distinctNamesDifferPerProjectAndDataSource() {
        String taken = naming.name(POSTGRES, "Sales EU", "customers");

        String first = naming.distinctName(POSTGRES, taken, 1, 2);
        String second = naming.distinctName(POSTGRES, taken, 2, 1);

        assertThat(first).startsWith("sales_eu__customers_").isNotEqualTo(second).isNotEqualTo(taken);
        assertThat(naming.distinctName(POSTGRES, "q".repeat(63), 1, 2)).hasSize(63);
    }

    @Test
    void followsTheConfiguredTemplate() {
        assertThat(naming("secure_{table}").name(POSTGRES, "Ignored", "Customers")).isEqualTo("secure_customers");
    }

    @Test
    void slugsNeverHoldADoubleUnderscoreSoTheSeparatorIsUnambiguous() {
        assertThat(ViewNaming.slug("a__b")).isEqualTo("a_b");
        assertThat(naming.name(POSTGRES, "x__y", "z")).isNotEqualTo(naming.name(POSTGRES, "x", "y__z"));
    }
}
