package dev.verdict.moderation.deadline;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Persistent deadlines: Axon's db-scheduler deadline manager on moderation-service's PostgreSQL, not the in-memory
 * default. db-scheduler writes through a transaction-aware proxy, so a deadline is scheduled in the same transaction
 * as the events of the command that sets it: a committed suspension always has its expiry, across restarts.
 */
@Configuration(proxyBeanMethods = false)
class DeadlineConfiguration {

    @Bean(destroyMethod = "stop")
    Scheduler deadlineScheduler(DataSource dataSource, ApplicationContext context,
                                @Value("${verdict.deadlines.polling-interval:1s}") Duration pollingInterval) {
        Task<DbSchedulerBinaryDeadlineDetails> deadlines =
                DbSchedulerDeadlineManager.binaryTask(() -> context.getBean(DbSchedulerDeadlineManager.class));
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), deadlines)
                .threads(2)
                .pollingInterval(pollingInterval)
                .commitWhenAutocommitDisabled(false)
                .build();
    }

    /**
     * The deadline manager does not apply Axon's correlation data providers by itself; this interceptor does, so a
     * deadline's events carry the system's provenance like a command's carry the principal's.
     */
    @Bean
    DbSchedulerDeadlineManager deadlineManager(Scheduler scheduler,
                                               org.axonframework.config.Configuration configuration,
                                               @Qualifier("eventSerializer") Serializer serializer,
                                               TransactionManager transactionManager,
                                               List<CorrelationDataProvider> correlationDataProviders) {
        DbSchedulerDeadlineManager manager = DbSchedulerDeadlineManager.builder()
                .scheduler(scheduler)
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                .serializer(serializer)
                .transactionManager(transactionManager)
                .startScheduler(true)
                .stopScheduler(true)
                .build();
        manager.registerHandlerInterceptor((unitOfWork, chain) -> {
            correlationDataProviders.forEach(unitOfWork::registerCorrelationDataProvider);
            return chain.proceed();
        });
        return manager;
    }
}
