<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CellDiagramPanel</name>
    <message>
        <source>Forward: each gate reads [a&lt;t-1&gt;, x&lt;t&gt;] through its weights; c&lt;t&gt; and a&lt;t&gt; follow.</source>
        <translation>前向传播：每个门通过自己的权重读入 [a&lt;t-1&gt;, x&lt;t&gt;]；随后得到 c&lt;t&gt; 和 a&lt;t&gt;。</translation>
    </message>
    <message>
        <source>Loss: L = Σ_t L&lt;t&gt; compares ŷ&lt;t&gt; with y&lt;t&gt;.</source>
        <translation>损失：L = Σ_t L&lt;t&gt; 比较 ŷ&lt;t&gt; 与 y&lt;t&gt;。</translation>
    </message>
    <message>
        <source>Backprop through time: ‖∂L/∂W‖ of each gate&apos;s weights (all steps, the whole batch).</source>
        <translation>穿越时间的反向传播：每个门权重的 ‖∂L/∂W‖ (所有时间步，整个批次)。</translation>
    </message>
    <message>
        <source>Clip: the global gradient norm is rescaled to the threshold when it is larger.</source>
        <translation>梯度修剪：全局梯度范数超过阈值时，被缩放到阈值。</translation>
    </message>
    <message>
        <source>Update: the optimizer changes each gate&apos;s weights by ΔW.</source>
        <translation>更新：优化器把每个门的权重改变 ΔW。</translation>
    </message>
    <message>
        <source>forward</source>
        <extracomment>the phases&apos; names on their buttons</extracomment>
        <translation>前向</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>backprop</source>
        <translation>反向传播</translation>
    </message>
    <message>
        <source>clip</source>
        <translation>修剪</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>mean over units</source>
        <translation>各单元的平均</translation>
    </message>
    <message>
        <source>selected unit</source>
        <translation>选中的单元</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>Step through one update ▸</source>
        <translation>逐步查看一次更新 ▸</translation>
    </message>
    <message>
        <source>One phase per press on a copy of the model: forward → loss → backprop → clip → update (the run itself is not changed)</source>
        <translation>每按一次走一个阶段，在模型的副本上进行：前向 → 损失 → 反向传播 → 修剪 → 更新 (训练本身不受影响)</translation>
    </message>
    <message>
        <source>Phases need a task to draw a batch from and the model&apos;s weights.</source>
        <translation>分阶段查看需要一个能抽取批次的任务和模型的权重。</translation>
    </message>
    <message>
        <source>The update is done. Press again to step through another one (from the newest weights of the run).</source>
        <translation>更新已完成。再按一次可查看下一次更新 (从训练最新的权重开始)。</translation>
    </message>
    <message>
        <source>computing one optimizer step on a copy of the model …</source>
        <translation>正在模型的副本上计算一步优化 …</translation>
    </message>
    <message>
        <source>Could not step: {message}</source>
        <translation>无法执行这一步：{message}</translation>
    </message>
    <message>
        <source>L = {loss} over the batch ({n} steps)</source>
        <translation>整个批次上 L = {loss} ({n} 个时间步)</translation>
    </message>
    <message>
        <source>L = {loss} over the batch</source>
        <translation>整个批次上 L = {loss}</translation>
    </message>
    <message>
        <source>‖g‖ = {before} → {after} (clipped), mode {mode}, threshold {threshold}.</source>
        <translation>‖g‖ = {before} → {after} (已修剪)，方式 {mode}，阈值 {threshold}。</translation>
    </message>
    <message>
        <source>‖g‖ = {before} → {after} (not clipped), mode {mode}, threshold {threshold}.</source>
        <translation>‖g‖ = {before} → {after} (未修剪)，方式 {mode}，阈值 {threshold}。</translation>
    </message>
    <message>
        <source>This layer:</source>
        <translation>本层：</translation>
    </message>
    <message>
        <source>(learning rate α = {lr})</source>
        <translation>(学习率 α = {lr})</translation>
    </message>
    <message>
        <source>(no trace yet)</source>
        <translation>(还没有追踪数据)</translation>
    </message>
    <message>
        <source>(no run yet)</source>
        <translation>(还没有训练)</translation>
    </message>
    <message>
        <source>= a[{l}]&lt;t&gt; from layer [{l}]</source>
        <translation>= 来自第 [{l}] 层的 a[{l}]&lt;t&gt;</translation>
    </message>
    <message>
        <source>unit {unit}</source>
        <translation>单元 {unit}</translation>
    </message>
    <message>
        <source>mean over the {n} units</source>
        <translation>{n} 个单元的平均</translation>
    </message>
</context>
<context>
    <name>Chrome</name>
    <message>
        <source>Space  play / pause
S  one optimizer step
R  reset (same initial weights)
← →  move t
Home End  first / last step
Esc / Enter  leave the text box (keys act on training again)
F1  equations at t
Ctrl+N new run, Ctrl+O open, Ctrl+S save, Ctrl+E export</source>
        <translation>空格  播放 / 暂停
S  一步优化
R  重置 (相同的初始权重)
← →  移动 t
Home End  第一个 / 最后一个时间步
Esc / Enter  离开输入框 (按键重新控制训练)
F1  t 处的方程
Ctrl+N 新训练，Ctrl+O 打开，Ctrl+S 保存，Ctrl+E 导出</translation>
    </message>
    <message>
        <source> bidirectional</source>
        <translation> 双向</translation>
    </message>
    <message>
        <source>, {n} layers</source>
        <translation>，{n} 层</translation>
    </message>
    <message>
        <source>Imported weights: no task, so training is off. The display example has random inputs; ◀ ▶ random draw others.</source>
        <translation>导入的权重：没有任务，因此不能训练。展示的样本是随机输入；◀ ▶ 随机 可换其他样本。</translation>
    </message>
    <message>
        <source>Press ▶ Play (Space) to train, S for one step.</source>
        <translation>按 ▶ 播放 (空格) 开始训练，按 S 走一步。</translation>
    </message>
    <message>
        <source>; the task&apos;s target is met</source>
        <translation>；已达到任务的目标</translation>
    </message>
    <message>
        <source>; the task&apos;s target is not met yet</source>
        <translation>；尚未达到任务的目标</translation>
    </message>
    <message>
        <source>Training paused so you can look: scrub t, open the tools, or keep training (▶ Play also goes on).</source>
        <translation>训练已暂停，方便你观察：拖动 t，打开工具，或继续训练 (▶ 播放 也会继续)。</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>隐藏这条消息</translation>
    </message>
</context>
<context>
    <name>DisplayInput</name>
    <message>
        <source>a style ({styles}), then {n} notes or none: arpeggio C4 E4 G4 …</source>
        <translation>一个风格 ({styles})，再加 {n} 个音符或不加：arpeggio C4 E4 G4 …</translation>
    </message>
    <message>
        <source>a sentence; its first was/were is the verb: the keys to the cabinet were</source>
        <translation>一个句子，其中第一个 was/were 是动词：the keys to the cabinet were</translation>
    </message>
    <message>
        <source>a review: the movie was not bad at all</source>
        <translation>一条评论：the movie was not bad at all</translation>
    </message>
    <message>
        <source>a sentence; capitals mark names: Rose found the old book</source>
        <translation>一个句子，大写字母标出人名：Rose found the old book</translation>
    </message>
    <message>
        <source>a sentence with Teddy: Teddy bears are soft</source>
        <translation>一个含 Teddy 的句子：Teddy bears are soft</translation>
    </message>
    <message>
        <source>a date: 26 nov 2026, november 26, 2026, 26/11/2026, 26.11.2026</source>
        <translation>一个日期：26 nov 2026、november 26, 2026、26/11/2026、26.11.2026</translation>
    </message>
    <message>
        <source>numbers, the two to add in brackets: 0.3 [0.5] 0.1 [0.2] 0.9</source>
        <translation>一串数，要相加的两个放在方括号里：0.3 [0.5] 0.1 [0.2] 0.9</translation>
    </message>
    <message>
        <source>numbers separated by spaces: 1 0.5 -2 3</source>
        <translation>用空格分开的数：1 0.5 -2 3</translation>
    </message>
    <message>
        <source>any code: def f(x):</source>
        <translation>任意代码：def f(x):</translation>
    </message>
    <message>
        <source>type your own sequence and press Enter …</source>
        <translation>输入你自己的序列，按回车 …</translation>
    </message>
    <message>
        <source>not in the vocabulary, read as &lt;unk&gt;: {words}</source>
        <translation>不在词表中，读作 &lt;unk&gt;：{words}</translation>
    </message>
    <message>
        <source>not in the vocabulary, read as {oov} (this task has no &lt;unk&gt;): {words}</source>
        <translation>不在词表中，读作 {oov} (这个任务没有 &lt;unk&gt;)：{words}</translation>
    </message>
    <message>
        <source>skipped: {pieces}</source>
        <translation>已跳过：{pieces}</translation>
    </message>
    <message>
        <source>no known answer for this input: the panels show the model&apos;s prediction only</source>
        <translation>这个输入没有已知答案：面板只显示模型的预测</translation>
    </message>
    <message>
        <source>The {n} tokens this task reads</source>
        <translation>这个任务读入的 {n} 个记号</translation>
    </message>
    <message>
        <source>This task reads numbers, not tokens</source>
        <translation>这个任务读入的是数，不是记号</translation>
    </message>
    <message>
        <source>Could not trace your sequence: the model cannot read it.</source>
        <translation>无法追踪你的序列：模型读不了它。</translation>
    </message>
    <message>
        <source>showing your sequence: every panel reads it</source>
        <translation>正在显示你的序列：每个面板都读入它</translation>
    </message>
    <message>
        <source>Could not draw an example: {error}</source>
        <translation>无法抽取样本：{error}</translation>
    </message>
    <message>
        <source>the notes&apos; example</source>
        <translation>笔记中的例子</translation>
    </message>
    <message>
        <source>example {i}</source>
        <translation>样本 {i}</translation>
    </message>
    <message>
        <source>This run has no task, so there is no vocabulary to read text with.</source>
        <translation>这次训练没有任务，所以没有词表来读文本。</translation>
    </message>
    <message>
        <source>Could not read that: {error}</source>
        <translation>无法读取：{error}</translation>
    </message>
    <message>
        <source>your sequence</source>
        <translation>你的序列</translation>
    </message>
    <message>
        <source>reading your sequence …</source>
        <translation>正在读入你的序列 …</translation>
    </message>
</context>
<context>
    <name>Docks</name>
    <message>
        <source>This panel could not be built: {error}</source>
        <extracomment>screens less tall than this get the compact layout (loss | norms and flow | metrics as tabs)</extracomment>
        <translation>无法创建这个面板：{error}</translation>
    </message>
</context>
<context>
    <name>Equations</name>
    <message>
        <source>update / input gate</source>
        <translation>更新门 / 输入门</translation>
    </message>
    <message>
        <source>forget gate</source>
        <translation>遗忘门</translation>
    </message>
    <message>
        <source>output gate</source>
        <translation>输出门</translation>
    </message>
    <message>
        <source>g is the activation chosen for the run (the notes write σ; tanh is usual). W_a = [W_aa | W_ax].</source>
        <translation>g 是这次训练选用的激活函数 (笔记写作 σ；通常用 tanh)。W_a = [W_aa | W_ax]。</translation>
    </message>
    <message>
        <source>When Γu ≈ 0, c&lt;t&gt; ≈ c&lt;t-1&gt;: the cell holds a fact across many steps and the gradient does not vanish along that path.</source>
        <translation>当 Γu ≈ 0 时，c&lt;t&gt; ≈ c&lt;t-1&gt;：细胞跨越许多时间步保持一个信息，梯度沿这条路径也不会消失。</translation>
    </message>
    <message>
        <source>Γr decides how relevant c&lt;t-1&gt; is to the candidate c̃&lt;t&gt;. (PyTorch&apos;s update gate z is 1 − Γu.)</source>
        <translation>Γr 决定 c&lt;t-1&gt; 与候选值 c̃&lt;t&gt; 有多相关。(PyTorch 的更新门 z 是 1 − Γu.)</translation>
    </message>
    <message>
        <source>The notes write a&lt;t&gt; = Γo * c&lt;t&gt;; the standard LSTM applies tanh to c&lt;t&gt;, as here.</source>
        <translation>笔记写作 a&lt;t&gt; = Γo * c&lt;t&gt;；标准的 LSTM 对 c&lt;t&gt; 取 tanh，这里也是如此。</translation>
    </message>
    <message>
        <source>No run yet: File ▸ New run.</source>
        <translation>还没有训练：文件 ▸ 新训练。</translation>
    </message>
    <message>
        <source>Vanilla RNN</source>
        <translation>基本 RNN</translation>
    </message>
    <message>
        <source>Simplified GRU</source>
        <translation>简化的 GRU</translation>
    </message>
    <message>
        <source> (PyTorch variant: Γr after the product)</source>
        <translation> (PyTorch 变体：Γr 在乘积之后)</translation>
    </message>
    <message>
        <source>Layer 1, → forward direction, at t = {t}; units {units}.</source>
        <translation>第 1 层，→ 正向，t = {t}；单元 {units}。</translation>
    </message>
    <message>
        <source>Layer 1, at t = {t}; units {units}.</source>
        <translation>第 1 层，t = {t}；单元 {units}。</translation>
    </message>
    <message>
        <source>* is element-wise, σ the sigmoid, [·, ·] stacks two vectors.</source>
        <translation>* 是逐元素相乘，σ 是 sigmoid，[·, ·] 把两个向量拼接起来。</translation>
    </message>
    <message>
        <source>Deep RNN: layer l reads a[l-1]&lt;t&gt; in place of x&lt;t&gt;: a[l]&lt;t&gt; = g(W_a[l] [a[l]&lt;t-1&gt;, a[l-1]&lt;t&gt;] + b_a[l]).</source>
        <translation>深层 RNN：第 l 层读入 a[l-1]&lt;t&gt; 代替 x&lt;t&gt;：a[l]&lt;t&gt; = g(W_a[l] [a[l]&lt;t-1&gt;, a[l-1]&lt;t&gt;] + b_a[l])。</translation>
    </message>
    <message>
        <source>Bidirectional: ŷ&lt;t&gt; = g(W_y [→a&lt;t&gt;, ←a&lt;t&gt;] + b_y).</source>
        <translation>双向：ŷ&lt;t&gt; = g(W_y [→a&lt;t&gt;, ←a&lt;t&gt;] + b_y)。</translation>
    </message>
    <message>
        <source>Output: ŷ&lt;t&gt; = g(W_ya a&lt;t&gt; + b_y); loss L = Σ_t L&lt;t&gt;(ŷ&lt;t&gt;, y&lt;t&gt;).</source>
        <translation>输出：ŷ&lt;t&gt; = g(W_ya a&lt;t&gt; + b_y)；损失 L = Σ_t L&lt;t&gt;(ŷ&lt;t&gt;, y&lt;t&gt;)。</translation>
    </message>
    <message>
        <source>Equations of the cell</source>
        <translation>单元的方程</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Open a run</source>
        <translation>打开训练</translation>
    </message>
    <message>
        <source>RNN Scope runs (*.npz)</source>
        <translation>RNN Scope 训练文件 (*.npz)</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>Save the run</source>
        <translation>保存训练</translation>
    </message>
    <message>
        <source>Import PyTorch weights</source>
        <translation>导入 PyTorch 权重</translation>
    </message>
    <message>
        <source>Exported {what} to {path}</source>
        <translation>已把{what}导出到 {path}</translation>
    </message>
    <message>
        <source>the dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <source>no task</source>
        <translation>没有任务</translation>
    </message>
    <message>
        <source>{task} · {cell} · step {step:,} · loss {loss}</source>
        <translation>{task} · {cell} · 第 {step:,} 步 · 损失 {loss}</translation>
    </message>
    <message>
        <source>Export the dashboard</source>
        <translation>导出仪表盘</translation>
    </message>
    <message>
        <source>Export {panel}</source>
        <translation>导出 {panel}</translation>
    </message>
    <message>
        <source>Export the training history</source>
        <translation>导出训练历史</translation>
    </message>
    <message>
        <source>the history</source>
        <translation>训练历史</translation>
    </message>
    <message>
        <source>Export the trace</source>
        <translation>导出追踪数据</translation>
    </message>
    <message>
        <source>the trace</source>
        <translation>追踪数据</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(还没有)</translation>
    </message>
</context>
<context>
    <name>FlowPanel</name>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>No gradients traced yet.</source>
        <translation>还没有追踪到梯度。</translation>
    </message>
    <message>
        <source>‖∂L/∂a&lt;t&gt;‖ summed over the loss of every step, log scale.</source>
        <translation>‖∂L/∂a&lt;t&gt;‖，对每个时间步的损失求和，对数刻度。</translation>
    </message>
    <message>
        <source>the gradient is not finite (the run diverged), so nothing can be drawn for it.</source>
        <translation>梯度不是有限值 (训练发散了)，无法画出。</translation>
    </message>
    <message>
        <source>∂L/∂a&lt;t&gt; is exactly 0 at every step: this example&apos;s loss has nothing left to teach.</source>
        <translation>∂L/∂a&lt;t&gt; 在每个时间步都恰好为 0：这个样本的损失已经没有什么可教的了。</translation>
    </message>
    <message>
        <source> (top layer, →)</source>
        <translation> (最上层，→)</translation>
    </message>
    <message>
        <source>:  the loss enters at the last step; what reaches t = 1 is what can be learned from it.</source>
        <translation>：损失在最后一个时间步进入；能传到 t = 1 的部分，才是能从中学到的。</translation>
    </message>
</context>
<context>
    <name>GatesPanel</name>
    <message>
        <source>Γu&lt;t&gt;  update gate</source>
        <translation>Γu&lt;t&gt;  更新门</translation>
    </message>
    <message>
        <source>Γr&lt;t&gt;  relevance (reset) gate</source>
        <translation>Γr&lt;t&gt;  相关门 (重置门)</translation>
    </message>
    <message>
        <source>Γf&lt;t&gt;  forget gate</source>
        <translation>Γf&lt;t&gt;  遗忘门</translation>
    </message>
    <message>
        <source>Γo&lt;t&gt;  output gate</source>
        <translation>Γo&lt;t&gt;  输出门</translation>
    </message>
    <message>
        <source>c̃&lt;t&gt;  candidate memory</source>
        <translation>c̃&lt;t&gt;  候选记忆</translation>
    </message>
    <message>
        <source>a&lt;t&gt;  hidden state</source>
        <translation>a&lt;t&gt;  隐藏状态</translation>
    </message>
    <message>
        <source>It has no gates: a&lt;t&gt; = g(W_a [a&lt;t-1&gt;, x&lt;t&gt;] + b_a) is shown instead.</source>
        <extracomment>the maps each cell has (the vanilla RNN has no gates: its a&lt;t&gt; is shown instead)</extracomment>
        <translation>它没有门：这里显示 a&lt;t&gt; = g(W_a [a&lt;t-1&gt;, x&lt;t&gt;] + b_a)。</translation>
    </message>
    <message>
        <source>c&lt;t&gt; = Γu * c̃&lt;t&gt; + (1 − Γu) * c&lt;t-1&gt;: Γu ≈ 0 keeps the memory.</source>
        <translation>c&lt;t&gt; = Γu * c̃&lt;t&gt; + (1 − Γu) * c&lt;t-1&gt;：Γu ≈ 0 时保持记忆。</translation>
    </message>
    <message>
        <source>Γr chooses how much of c&lt;t-1&gt; feeds c̃&lt;t&gt;; Γu ≈ 0 keeps the memory.</source>
        <translation>Γr 决定 c&lt;t-1&gt; 有多少进入 c̃&lt;t&gt;；Γu ≈ 0 时保持记忆。</translation>
    </message>
    <message>
        <source>c&lt;t&gt; = Γu * c̃&lt;t&gt; + Γf * c&lt;t-1&gt;,  a&lt;t&gt; = Γo * tanh(c&lt;t&gt;).</source>
        <translation>c&lt;t&gt; = Γu * c̃&lt;t&gt; + Γf * c&lt;t-1&gt;，  a&lt;t&gt; = Γo * tanh(c&lt;t&gt;)。</translation>
    </message>
    <message>
        <source>No run yet: start one to see the gates open and close.</source>
        <translation>还没有训练：开始一次训练就能看到门的开合。</translation>
    </message>
    <message>
        <source>No trace yet.</source>
        <translation>还没有追踪数据。</translation>
    </message>
</context>
<context>
    <name>GradCheckPanel</name>
    <message>
        <source>W_ax of every gate</source>
        <extracomment>the notes&apos; names for the core&apos;s parameter keys (rnncore/naming.py)</extracomment>
        <translation>每个门的 W_ax</translation>
    </message>
    <message>
        <source>W_aa of every gate</source>
        <translation>每个门的 W_aa</translation>
    </message>
    <message>
        <source>b of every gate</source>
        <translation>每个门的 b</translation>
    </message>
    <message>
        <source>b of c̃&apos;s W_aa a</source>
        <translation>c̃ 中 W_aa a 的 b</translation>
    </message>
    <message>
        <source>word embeddings</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <source>Check the gradients</source>
        <translation>检验梯度</translation>
    </message>
    <message>
        <source>Central differences vs backpropagation through time, float64, on {batch} examples of the task ({entries} entries per parameter)</source>
        <translation>中心差分与穿越时间的反向传播对比，float64，在任务的 {batch} 个样本上 (每个参数 {entries} 个元素)</translation>
    </message>
    <message>
        <source>Compares ∂L/∂W from backpropagation through time with (L(W + ε) − L(W − ε)) / 2ε for each parameter, in float64. ‖num − ana‖ / max(‖num‖ + ‖ana‖, {floor}) below {tol} passes (the floor: a trained model&apos;s gradients are tiny, not wrong).</source>
        <translation>对每个参数，用 float64 比较穿越时间的反向传播得到的 ∂L/∂W 与 (L(W + ε) − L(W − ε)) / 2ε。‖num − ana‖ / max(‖num‖ + ‖ana‖, {floor}) 小于 {tol} 即通过 (下限的原因：训练好的模型梯度很小，但并不错)。</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>in the notes</source>
        <translation>笔记中的记号</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>No model yet.</source>
        <translation>还没有模型。</translation>
    </message>
    <message>
        <source>No examples to check on.</source>
        <translation>没有可以检验的样本。</translation>
    </message>
    <message>
        <source>checking … (central differences take a few seconds)</source>
        <translation>正在检验 … (中心差分需要几秒钟)</translation>
    </message>
    <message>
        <source>Could not check: {message}</source>
        <translation>无法检验：{message}</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>{bad} of {n} parameters FAIL (worst {worst}) at step {step}.</source>
        <translation>第 {step} 步：{n} 个参数中有 {bad} 个失败 (最差 {worst})。</translation>
    </message>
    <message>
        <source>All {n} parameters pass at step {step}: largest relative error {worst}.</source>
        <translation>第 {step} 步：全部 {n} 个参数通过，最大相对误差 {worst}。</translation>
    </message>
    <message>
        <source>Training has moved on (now step {step}): press the button to check again.</source>
        <translation>训练已经继续 (现在是第 {step} 步)：按按钮重新检验。</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
</context>
<context>
    <name>GradNormPanel</name>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>per parameter</source>
        <translation>按参数</translation>
    </message>
    <message>
        <source>‖g‖ of each weight matrix and bias at the newest traced step, before clipping</source>
        <translation>最新追踪的一步中，每个权重矩阵和偏置的 ‖g‖ (修剪前)</translation>
    </message>
    <message>
        <source>optimizer step</source>
        <translation>优化步数</translation>
    </message>
    <message>
        <source>global ‖g‖</source>
        <translation>全局 ‖g‖</translation>
    </message>
    <message>
        <source>‖g‖ before clipping, newest traced step</source>
        <translation>修剪前的 ‖g‖，最新追踪的一步</translation>
    </message>
    <message>
        <source>before clipping</source>
        <translation>修剪前</translation>
    </message>
    <message>
        <source>after clipping</source>
        <translation>修剪后</translation>
    </message>
    <message>
        <source>largest of each point&apos;s steps</source>
        <translation>每个点所含各步的最大值</translation>
    </message>
    <message>
        <source>clipped</source>
        <translation>已修剪</translation>
    </message>
    <message>
        <source>threshold {value}</source>
        <translation>阈值 {value}</translation>
    </message>
    <message>
        <source>step {step}: ‖g‖ = {before} before, {after} after
largest {peak}, clipped on {pct} % of its steps</source>
        <translation>第 {step} 步：修剪前 ‖g‖ = {before}，修剪后 {after}
最大 {peak}，{pct} % 的步被修剪</translation>
    </message>
    <message>
        <source>No steps yet.</source>
        <translation>还没有训练步。</translation>
    </message>
    <message>
        <source>clip by norm at {value}</source>
        <translation>按范数修剪，阈值 {value}</translation>
    </message>
    <message>
        <source>clip by value at ±{value} per entry (no norm threshold)</source>
        <translation>按数值修剪，每个元素限制在 ±{value} (没有范数阈值)</translation>
    </message>
    <message>
        <source>no clipping</source>
        <translation>不修剪</translation>
    </message>
    <message>
        <source>{how}: clipped on {pct} % of {n} steps;  last ‖g‖ = {last}</source>
        <translation>{how}：{n} 步中 {pct} % 被修剪；最后 ‖g‖ = {last}</translation>
    </message>
</context>
<context>
    <name>Heatmap</name>
    <message>
        <source>unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation>还没有数据</translation>
    </message>
    <message>
        <source>unit {u}, t = {t}{word}: {name} = {value}</source>
        <translation>单元 {u}，t = {t}{word}：{name} = {value}</translation>
    </message>
</context>
<context>
    <name>InfluencePanel</name>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>normalise each row</source>
        <translation>每行归一化</translation>
    </message>
    <message>
        <source>input x&lt;t&apos;&gt;</source>
        <translation>输入 x&lt;t&apos;&gt;</translation>
    </message>
    <message>
        <source>prediction ŷ&lt;t&gt;</source>
        <translation>预测 ŷ&lt;t&gt;</translation>
    </message>
    <message>
        <source>Could not compute the influence: {message}</source>
        <translation>无法计算影响：{message}</translation>
    </message>
    <message>
        <source>Computing ‖∂ŷ&lt;t&gt;/∂x&lt;t&apos;&gt;‖ …</source>
        <translation>正在计算 ‖∂ŷ&lt;t&gt;/∂x&lt;t&apos;&gt;‖ …</translation>
    </message>
    <message>
        <source>each row scaled to its largest entry</source>
        <translation>每行按其最大值缩放</translation>
    </message>
    <message>
        <source>scaled to the largest entry, {value}</source>
        <translation>按最大值 {value} 缩放</translation>
    </message>
    <message>
        <source>How much each input x&lt;t&apos;&gt; moves each prediction ŷ&lt;t&gt; ({what}).</source>
        <translation>每个输入 x&lt;t&apos;&gt; 对每个预测 ŷ&lt;t&gt; 的影响有多大 ({what})。</translation>
    </message>
    <message>
        <source>How much each input x&lt;t&apos;&gt; moves the prediction ŷ (target y = {y}) ({what}).</source>
        <translation>每个输入 x&lt;t&apos;&gt; 对预测 ŷ 的影响有多大 (目标 y = {y}) ({what})。</translation>
    </message>
    <message>
        <source>How much each input x&lt;t&apos;&gt; moves the prediction ŷ ({what}).</source>
        <translation>每个输入 x&lt;t&apos;&gt; 对预测 ŷ 的影响有多大 ({what})。</translation>
    </message>
</context>
<context>
    <name>LessonPlayer</name>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一课</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一课 ▶</translation>
    </message>
    <message>
        <source>Open this lesson&apos;s preset</source>
        <translation>打开本课的预设</translation>
    </message>
    <message>
        <source>Look here</source>
        <translation>请看这里</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Answer from the app</source>
        <translation>由应用回答</translation>
    </message>
    <message>
        <source>Lesson {n} of {total}</source>
        <translation>第 {n} 课，共 {total} 课</translation>
    </message>
    <message>
        <source>Train the preset first (Open this lesson&apos;s preset, then Play).</source>
        <translation>请先训练预设 (打开本课的预设，再按播放)。</translation>
    </message>
    <message>
        <source>✓ answered</source>
        <translation>✓ 已回答</translation>
    </message>
    <message>
        <source>(trains beside a second model: {what})</source>
        <translation>(与另一个模型同时训练：{what})</translation>
    </message>
</context>
<context>
    <name>Lessons</name>
    <message>
        <source>Lesson</source>
        <extracomment>the lessons&apos; panel names → the dashboard&apos;s dock ids (&quot;controls&quot; is the training toolbar) screens narrower than this get the lesson as a tab, not a fifth column packages that give Qt a font with Chinese characters, by package manager</extracomment>
        <translation>课程</translation>
    </message>
    <message>
        <source>This lesson compares with a second model: rnnscope train {cli}  — “Answer from the app” trains it in the background and compares.</source>
        <translation>本课与另一个模型比较：rnnscope train {cli}  — “由应用回答”会在后台训练它并进行比较。</translation>
    </message>
    <message>
        <source>Open this lesson&apos;s preset first: the run now is another task.</source>
        <translation>请先打开本课的预设：现在的训练是另一个任务。</translation>
    </message>
</context>
<context>
    <name>LossPanel</name>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Log y keeps the early descent and the late fine-tuning both readable</source>
        <translation>对数 y 轴让早期的下降和后期的微调都看得清</translation>
    </message>
    <message>
        <source>optimizer step</source>
        <translation>优化步数</translation>
    </message>
    <message>
        <source>step {step}: L = {loss}, smoothed {smooth}</source>
        <translation>第 {step} 步：L = {loss}，平滑后 {smooth}</translation>
    </message>
    <message>
        <source>No example traced yet: L&lt;t&gt; appears with the first trace.</source>
        <translation>还没有追踪样本：第一次追踪后出现 L&lt;t&gt;。</translation>
    </message>
    <message>
        <source>one loss, at the last step</source>
        <translation>只有一个损失，在最后一个时间步</translation>
    </message>
    <message>
        <source>over the decoder&apos;s steps t = 1 … T_y</source>
        <translation>在解码器的时间步 t = 1 … T_y 上</translation>
    </message>
    <message>
        <source>This example: L = Σ L&lt;t&gt; = {total}</source>
        <translation>这个样本：L = Σ L&lt;t&gt; = {total}</translation>
    </message>
    <message>
        <source>Training loss: no steps yet.</source>
        <translation>训练损失：还没有训练步。</translation>
    </message>
    <message>
        <source>L over {n} steps: last {last}, smoothed {smooth}</source>
        <translation>{n} 步的 L：最后 {last}，平滑后 {smooth}</translation>
    </message>
    <message>
        <source> (points average {n} steps)</source>
        <translation> (每个点平均 {n} 步)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> Lower the learning rate α or turn on clipping, then press ▶ Play.</source>
        <translation> 请降低学习率 α 或打开梯度修剪，再按 ▶ 播放。</translation>
    </message>
    <message>
        <source>Training stopped by an error: {error}  (full traceback on the terminal)</source>
        <translation>训练因错误停止：{error}  (完整的回溯信息在终端上)</translation>
    </message>
    <message>
        <source>Keep training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Learning rate α = {lr} from the next step</source>
        <translation>从下一步开始学习率 α = {lr}</translation>
    </message>
    <message>
        <source>Clipping off</source>
        <translation>梯度修剪已关闭</translation>
    </message>
    <message>
        <source>Clipping by {mode} at {threshold}</source>
        <translation>梯度修剪：{mode}，阈值 {threshold}</translation>
    </message>
    <message>
        <source>Time and input</source>
        <translation>时间与输入</translation>
    </message>
    <message>
        <source>Could not start the run: {error}</source>
        <translation>无法开始训练：{error}</translation>
    </message>
    <message>
        <source>start another run</source>
        <translation>开始另一次训练</translation>
    </message>
    <message>
        <source>Starting the training process …</source>
        <translation>正在启动训练进程 …</translation>
    </message>
    <message>
        <source>Saved the run to {path}</source>
        <translation>训练已保存到 {path}</translation>
    </message>
    <message>
        <source>Reset to step 0: the same initial weights and the same data.</source>
        <translation>已重置到第 0 步：相同的初始权重和相同的数据。</translation>
    </message>
    <message>
        <source>The race needs a task: open one with File &gt; New run.</source>
        <translation>比赛需要一个任务：请用 文件 &gt; 新训练 打开一个。</translation>
    </message>
    <message>
        <source>close the window</source>
        <translation>关闭窗口</translation>
    </message>
</context>
<context>
    <name>MemoryPanel</name>
    <message>
        <source>traces of c&lt;t&gt;</source>
        <translation>c&lt;t&gt; 的轨迹</translation>
    </message>
    <message>
        <source>traces of a&lt;t&gt;</source>
        <translation>a&lt;t&gt; 的轨迹</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>c&lt;t&gt;  memory cell</source>
        <translation>c&lt;t&gt;  记忆细胞</translation>
    </message>
    <message>
        <source>a&lt;t&gt;  hidden state</source>
        <translation>a&lt;t&gt;  隐藏状态</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>unit {u}: </source>
        <translation>单元 {u}：</translation>
    </message>
    <message>
        <source>No trace yet.</source>
        <translation>还没有追踪数据。</translation>
    </message>
    <message>
        <source>c&lt;t&gt; is the memory; a&lt;t&gt; = Γo * tanh(c&lt;t&gt;). Click a unit to trace it.</source>
        <translation>c&lt;t&gt; 是记忆；a&lt;t&gt; = Γo * tanh(c&lt;t&gt;)。点击一个单元可追踪它。</translation>
    </message>
    <message>
        <source>The vanilla RNN has no memory cell: only a&lt;t&gt;. Click a unit to trace it.</source>
        <translation>基本 RNN 没有记忆细胞：只有 a&lt;t&gt;。点击一个单元可追踪它。</translation>
    </message>
    <message>
        <source>For GRUs c&lt;t&gt; = a&lt;t&gt;: one heatmap shows both. Click a unit to trace it.</source>
        <translation>GRU 中 c&lt;t&gt; = a&lt;t&gt;：一张热图同时显示两者。点击一个单元可追踪它。</translation>
    </message>
    <message>
        <source>c&lt;t&gt; = a&lt;t&gt;  memory = hidden state</source>
        <translation>c&lt;t&gt; = a&lt;t&gt;  记忆 = 隐藏状态</translation>
    </message>
    <message>
        <source>unit {u}</source>
        <translation>单元 {u}</translation>
    </message>
    <message>
        <source>{name}&lt;t&gt; of the chosen units: </source>
        <translation>选中单元的 {name}&lt;t&gt;：</translation>
    </message>
    <message>
        <source>{name}&lt;t&gt; of the most active units: </source>
        <translation>最活跃单元的 {name}&lt;t&gt;：</translation>
    </message>
</context>
<context>
    <name>Menu</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New run…</source>
        <translation>新训练(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open run…</source>
        <translation>打开训练(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save run</source>
        <translation>保存训练(&amp;S)</translation>
    </message>
    <message>
        <source>Save run &amp;as…</source>
        <translation>训练另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import PyTorch weights…</source>
        <translation>导入 PyTorch 权重(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Dashboard as PNG or SVG…</source>
        <translation>仪表盘导出为 PNG 或 SVG…</translation>
    </message>
    <message>
        <source>One panel as PNG or SVG</source>
        <translation>单个面板导出为 PNG 或 SVG</translation>
    </message>
    <message>
        <source>Training history as CSV…</source>
        <translation>训练历史导出为 CSV…</translation>
    </message>
    <message>
        <source>Trace of the example as .npz…</source>
        <translation>样本的追踪数据导出为 .npz…</translation>
    </message>
    <message>
        <source>Trace of the example as CSV…</source>
        <translation>样本的追踪数据导出为 CSV…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>Evaluate the task&apos;s metrics now</source>
        <translation>现在评估任务的指标</translation>
    </message>
    <message>
        <source>Race the four cells on this task…</source>
        <translation>让四种单元在这个任务上比赛…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>重置布局</translation>
    </message>
    <message>
        <source>Language / 语言</source>
        <translation>语言 / Language</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Equations of the cell (values at t)</source>
        <translation>单元的方程 (t 处的数值)</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>Plots&apos; inner labels change after a restart</source>
        <translation>图内的标签在重新启动后才会改变</translation>
    </message>
</context>
<context>
    <name>MetricsPanel</name>
    <message>
        <source>No metrics yet: the task reports them while training.</source>
        <translation>还没有指标：任务会在训练时报告它们。</translation>
    </message>
    <message>
        <source>evaluating the task&apos;s metrics…</source>
        <translation>正在评估任务的指标…</translation>
    </message>
    <message>
        <source>no metrics yet (the task reports them while training)</source>
        <translation>还没有指标 (任务会在训练时报告它们)</translation>
    </message>
    <message>
        <source>at step {step:,}</source>
        <translation>第 {step:,} 步</translation>
    </message>
    <message>
        <source>evaluating…</source>
        <translation>正在评估…</translation>
    </message>
</context>
<context>
    <name>NewRunDialog</name>
    <message>
        <source>RNN (a&lt;t&gt; = g(W_a[a&lt;t-1&gt;, x&lt;t&gt;] + b_a))</source>
        <translation>RNN (a&lt;t&gt; = g(W_a[a&lt;t-1&gt;, x&lt;t&gt;] + b_a))</translation>
    </message>
    <message>
        <source>Simplified GRU (Γu only)</source>
        <translation>简化的 GRU (只有 Γu)</translation>
    </message>
    <message>
        <source>New run</source>
        <translation>新训练</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Task options</source>
        <translation>任务选项</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>g of the RNN</source>
        <translation>RNN 的 g</translation>
    </message>
    <message>
        <source>Hidden units H</source>
        <translation>隐藏单元数 H</translation>
    </message>
    <message>
        <source>Layers (deep RNN)</source>
        <translation>层数 (深层 RNN)</translation>
    </message>
    <message>
        <source>bidirectional (→a and ←a)</source>
        <translation>双向 (→a 和 ←a)</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate α</source>
        <translation>学习率 α</translation>
    </message>
    <message>
        <source>none</source>
        <translation>不修剪</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>按范数</translation>
    </message>
    <message>
        <source>value</source>
        <translation>按数值</translation>
    </message>
    <message>
        <source>Gradient clipping</source>
        <translation>梯度修剪</translation>
    </message>
    <message>
        <source>Clip threshold</source>
        <translation>修剪阈值</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批次大小</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>No tasks are installed.</source>
        <translation>没有安装任何任务。</translation>
    </message>
</context>
<context>
    <name>Panel</name>
    <message>
        <source>Gradient check</source>
        <translation>梯度检验</translation>
    </message>
    <message>
        <source>Influence ‖∂ŷ&lt;t&gt;/∂x&lt;t&apos;&gt;‖</source>
        <translation>影响 ‖∂ŷ&lt;t&gt;/∂x&lt;t&apos;&gt;‖</translation>
    </message>
    <message>
        <source>Gate saturation</source>
        <translation>门的饱和</translation>
    </message>
    <message>
        <source>Hidden-state trajectory a&lt;t&gt; (PCA)</source>
        <translation>隐藏状态轨迹 a&lt;t&gt; (PCA)</translation>
    </message>
    <message>
        <source>Text coloured by a unit</source>
        <translation>按单元着色的文本</translation>
    </message>
    <message>
        <source>Unit inspector: rank, ablate, clamp</source>
        <extracomment>names on screen for the metrics the tasks report held-out sentences per (distance, attractors) cell for the live comparison (the task&apos;s own: 32)</extracomment>
        <translation>单元检查：排序，消融，钳位</translation>
    </message>
    <message>
        <source>encoder</source>
        <extracomment>app/panels/common.py&apos;s part and direction names, marked for pyside6-lupdate (translated where shown)</extracomment>
        <translation>编码器</translation>
    </message>
    <message>
        <source>decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <source>→ forward</source>
        <translation>→ 正向</translation>
    </message>
    <message>
        <source>← backward</source>
        <translation>← 反向</translation>
    </message>
    <message>
        <source>Vanilla RNN</source>
        <translation>基本 RNN</translation>
    </message>
    <message>
        <source>Simplified GRU</source>
        <translation>简化的 GRU</translation>
    </message>
    <message>
        <source>layer [{n}]</source>
        <translation>第 [{n}] 层</translation>
    </message>
    <message>
        <source>Cell diagram at t</source>
        <translation>t 处的单元结构图</translation>
    </message>
    <message>
        <source>Gradient flow</source>
        <translation>梯度流</translation>
    </message>
    <message>
        <source>Gradient norm ‖g‖</source>
        <translation>梯度范数 ‖g‖</translation>
    </message>
    <message>
        <source>Sequence x&lt;t&gt;, y&lt;t&gt;, ŷ&lt;t&gt;</source>
        <translation>序列 x&lt;t&gt;, y&lt;t&gt;, ŷ&lt;t&gt;</translation>
    </message>
    <message>
        <source>Gates Γ&lt;t&gt;</source>
        <translation>门 Γ&lt;t&gt;</translation>
    </message>
    <message>
        <source>Memory c&lt;t&gt;, hidden a&lt;t&gt;</source>
        <translation>记忆细胞 c&lt;t&gt;，隐藏 a&lt;t&gt;</translation>
    </message>
    <message>
        <source>Loss L&lt;t&gt; and L</source>
        <translation>损失 L&lt;t&gt; 与 L</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
</context>
<context>
    <name>RaceWindow</name>
    <message>
        <source>accuracy by {what}</source>
        <translation>按 {what} 的准确率</translation>
    </message>
    <message>
        <source>metric by {what}</source>
        <translation>按 {what} 的指标</translation>
    </message>
    <message>
        <source>RNN Scope: race on {task}</source>
        <translation>RNN Scope：在 {task} 上比赛</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>一步</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Compute the task&apos;s metrics for every cell (takes a moment)</source>
        <translation>计算每种单元的任务指标 (需要一点时间)</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>loss L</source>
        <translation>损失 L</translation>
    </message>
    <message>
        <source>Loss while training</source>
        <translation>训练中的损失</translation>
    </message>
    <message>
        <source>Gradient through time</source>
        <translation>穿越时间的梯度</translation>
    </message>
    <message>
        <source>distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Metrics by distance (press Evaluate)</source>
        <translation>按距离的指标 (按“评估”)</translation>
    </message>
    <message>
        <source>Evaluating every cell…</source>
        <translation>正在评估每种单元…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Error: {error}</source>
        <translation>错误：{error}</translation>
    </message>
    <message>
        <source>{cell} stopped</source>
        <translation>{cell} 已停止</translation>
    </message>
    <message>
        <source>round {n}</source>
        <translation>第 {n} 轮</translation>
    </message>
</context>
<context>
    <name>SaturationPanel</name>
    <message>
        <source>Γu  update gate</source>
        <translation>Γu  更新门</translation>
    </message>
    <message>
        <source>Γr  relevance gate</source>
        <translation>Γr  相关门</translation>
    </message>
    <message>
        <source>Γf  forget gate</source>
        <translation>Γf  遗忘门</translation>
    </message>
    <message>
        <source>Γo  output gate</source>
        <translation>Γo  输出门</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>closed: Γ &lt; {lo}</source>
        <translation>关闭：Γ &lt; {lo}</translation>
    </message>
    <message>
        <source>open: Γ &gt; {hi}</source>
        <translation>打开：Γ &gt; {hi}</translation>
    </message>
    <message>
        <source>unit {unit}: closed {closed} % of steps, open {open} %</source>
        <translation>单元 {unit}：{closed} % 的时间步关闭，{open} % 打开</translation>
    </message>
    <message>
        <source>{gate} closed {closed} %, open {open} %</source>
        <translation>{gate} 关闭 {closed} %，打开 {open} %</translation>
    </message>
    <message>
        <source>unit {unit}: </source>
        <translation>单元 {unit}：</translation>
    </message>
    <message>
        <source>No trace yet.</source>
        <translation>还没有追踪数据。</translation>
    </message>
    <message>
        <source>the vanilla RNN has no σ gates to saturate. Choose a GRU or an LSTM.</source>
        <translation>基本 RNN 没有会饱和的 σ 门。请选择 GRU 或 LSTM。</translation>
    </message>
    <message>
        <source>{n} steps of {m} examples</source>
        <translation>{m} 个样本的 {n} 个时间步</translation>
    </message>
    <message>
        <source>the {n} steps of the example</source>
        <translation>这个样本的 {n} 个时间步</translation>
    </message>
    <message>
        <source>{name}, over {over}: one dot per unit. Top left: open almost always; bottom right: closed almost always. Click a dot to select the unit.</source>
        <translation>{name}，统计 {over}：每个点是一个单元。左上：几乎总是打开；右下：几乎总是关闭。点击一个点可选中该单元。</translation>
    </message>
</context>
<context>
    <name>SequencePanel</name>
    <message>
        <source>No example yet: start a run to see x&lt;t&gt;, y&lt;t&gt; and ŷ&lt;t&gt;.</source>
        <translation>还没有样本：开始一次训练就能看到 x&lt;t&gt;、y&lt;t&gt; 和 ŷ&lt;t&gt;。</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>x&lt;{t}&gt; = {word}: not in the vocabulary, read as {oov}</source>
        <translation>x&lt;{t}&gt; = {word}：不在词表中，读作 {oov}</translation>
    </message>
    <message>
        <source>ŷ&lt;{t}&gt;: the answer if the sequence stopped at t = {t}</source>
        <translation>ŷ&lt;{t}&gt;：如果序列在 t = {t} 处结束时的答案</translation>
    </message>
    <message>
        <source>sampled: ŷ&lt;{t}&gt; drawn from the model&apos;s distribution and fed back as x&lt;{next}&gt;</source>
        <translation>采样：ŷ&lt;{t}&gt; 从模型的分布中抽取，再作为 x&lt;{next}&gt; 输入</translation>
    </message>
    <message>
        <source>L&lt;1&gt; = {l1} stays large: the first note is a random one of {n} starts (at best ln {n} = {best}); the rest follow from it.</source>
        <translation>L&lt;1&gt; = {l1} 一直很大：第一个音符是 {n} 种开头中随机的一个 (最好也只有 ln {n} = {best})；其余的音符由它推出。</translation>
    </message>
    <message>
        <source>sampled</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>right: {n}/{m}</source>
        <translation>正确：{n}/{m}</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>optimizer steps taken</source>
        <translation>已走的优化步数</translation>
    </message>
    <message>
        <source>L = Σ_t L&lt;t&gt; of the latest batch</source>
        <translation>最新批次的 L = Σ_t L&lt;t&gt;</translation>
    </message>
    <message>
        <source>training speed</source>
        <translation>训练速度</translation>
    </message>
    <message>
        <source>fraction of steps whose gradient was clipped</source>
        <translation>梯度被修剪的步数比例</translation>
    </message>
    <message>
        <source>step {n}</source>
        <translation>第 {n} 步</translation>
    </message>
    <message>
        <source>{rate} steps/s</source>
        <translation>{rate} 步/秒</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>clipped {pct} % of steps</source>
        <translation>{pct} % 的步被修剪</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <source>Adding problem</source>
        <translation>加法问题</translation>
    </message>
    <message>
        <source>Gradients vanish over long lags for a plain RNN; an LSTM&apos;s memory cell carries two marked numbers across T steps.</source>
        <translation>时间间隔很长时，基本 RNN 的梯度会消失；LSTM 的记忆细胞能把两个标记的数跨越 T 个时间步带过去。</translation>
    </message>
    <message>
        <source>Plural agreement</source>
        <translation>单复数一致</translation>
    </message>
    <message>
        <source>Long-range dependency: the verb agrees with its subject, which is not always the first noun (&quot;the boys said that the cat near the dogs was …&quot;); the GRU/LSTM memory cell keeps its number, a plain RNN&apos;s gradient vanishes.</source>
        <translation>长距离依赖：动词与它的主语保持单复数一致，而主语不一定是第一个名词 (&quot;the boys said that the cat near the dogs was …&quot;)；GRU/LSTM 的记忆细胞记住它的单复数，基本 RNN 的梯度却会消失。</translation>
    </message>
    <message>
        <source>Python source, raw characters</source>
        <translation>Python 源代码，原始字符</translation>
    </message>
    <message>
        <source>A character model reading raw Python source grows cells that track being inside a string, the bracket depth and the indentation.</source>
        <translation>读原始 Python 源代码的字符模型，会长出跟踪“是否在字符串内”、括号深度和缩进的单元。</translation>
    </message>
    <message>
        <source>Date translation</source>
        <translation>日期翻译</translation>
    </message>
    <message>
        <source>Encoder-decoder (T_x ≠ T_y): an encoder reads &apos;26 nov 2026&apos;, a decoder writes &apos;2026-11-26&apos;.</source>
        <translation>编码器-解码器 (T_x ≠ T_y)：编码器读入 &apos;26 nov 2026&apos;，解码器写出 &apos;2026-11-26&apos;。</translation>
    </message>
    <message>
        <source>Exploding gradients</source>
        <translation>梯度爆炸</translation>
    </message>
    <message>
        <source>Large recurrent weights make ∂L/∂a&lt;t&gt; grow step after step back in time; clipping the gradient norm keeps training stable.</source>
        <translation>较大的循环权重让 ∂L/∂a&lt;t&gt; 沿时间往回一步一步变大；梯度修剪 (限制梯度范数) 让训练保持稳定。</translation>
    </message>
    <message>
        <source>Language model</source>
        <translation>语言模型</translation>
    </message>
    <message>
        <source>A language model gives each sentence a probability: &apos;pear salad&apos; beats &apos;pair salad&apos;; sampling shows what it learned.</source>
        <translation>语言模型给每个句子一个概率：&apos;pear salad&apos; 胜过 &apos;pair salad&apos;；采样能看出它学到了什么。</translation>
    </message>
    <message>
        <source>Melody from a style</source>
        <translation>由风格生成旋律</translation>
    </message>
    <message>
        <source>One-to-many: one style vector in, a sequence of notes out, each sampled note fed back in.</source>
        <translation>一对多：输入一个风格向量，输出一串音符，每个采样出的音符再作为下一步的输入。</translation>
    </message>
    <message>
        <source>Name tagging</source>
        <translation>人名标注</translation>
    </message>
    <message>
        <source>Notation and the per-timestep loss: y&lt;t&gt; = 1 if the t-th word is part of a person&apos;s name, L = Σ_t L&lt;t&gt; (&quot;Harry Potter and Hermione Granger invented a new spell&quot;).</source>
        <translation>符号表示和每个时间步的损失：第 t 个单词是人名的一部分时 y&lt;t&gt; = 1，L = Σ_t L&lt;t&gt; (&quot;Harry Potter and Hermione Granger invented a new spell&quot;)。</translation>
    </message>
    <message>
        <source>Sentiment of short reviews</source>
        <translation>短评的情感</translation>
    </message>
    <message>
        <source>Many-to-one: a whole review in, one rating out; &quot;not good at all&quot; is negative, and after &quot;but&quot; the last clause decides, so word order matters.</source>
        <translation>多对一：输入一整条评论，输出一个评分；&quot;not good at all&quot; 是负面的，&quot;but&quot; 之后由最后一个分句决定，所以词序很重要。</translation>
    </message>
    <message>
        <source>Teddy: name or bear?</source>
        <translation>Teddy：人名还是玩具熊？</translation>
    </message>
    <message>
        <source>Bidirectional RNN: whether &quot;Teddy&quot; is a name is decided by the words after it (&quot;Teddy bears are on sale&quot; / &quot;Teddy Roosevelt was a great president&quot;); only →a and ←a together can know.</source>
        <translation>双向 RNN：&quot;Teddy&quot; 是不是人名，由它后面的单词决定 (&quot;Teddy bears are on sale&quot; / &quot;Teddy Roosevelt was a great president&quot;)；只有 →a 和 ←a 合在一起才能知道。</translation>
    </message>
    <message>
        <source>Your labeled sequences (TSV)</source>
        <translation>你自己标注的序列 (TSV)</translation>
    </message>
    <message>
        <source>Your own sequences: many-to-many tagging or many-to-one classification, per-timestep loss.</source>
        <translation>你自己的序列：多对多标注或多对一分类，每个时间步的损失。</translation>
    </message>
</context>
<context>
    <name>TimeBar</name>
    <message>
        <source>Play through time: move t across the example</source>
        <translation>沿时间播放：让 t 走过整个样本</translation>
    </message>
    <message>
        <source>Time step t shown by every panel (← → Home End)</source>
        <translation>所有面板显示的时间步 t (← → Home End)</translation>
    </message>
    <message>
        <source>example</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Previous example</source>
        <translation>上一个样本</translation>
    </message>
    <message>
        <source>Next example</source>
        <translation>下一个样本</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>A random example</source>
        <translation>随机一个样本</translation>
    </message>
    <message>
        <source>type your own sequence and press Enter …</source>
        <translation>输入你自己的序列，按回车 …</translation>
    </message>
    <message>
        <source>vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>Type a sequence and press Enter; Esc (or Enter) leaves the box, so Space, S, R and the arrows drive training and time again</source>
        <translation>输入一个序列并按回车；Esc (或回车) 离开输入框，空格、S、R 和方向键重新控制训练和时间</translation>
    </message>
</context>
<context>
    <name>TrainingToolbar</name>
    <message>
        <source>full speed</source>
        <extracomment>speed choices: label → steps per second (0 = as fast as the core goes) &quot;watch&quot; is slow enough to follow the loss fall, fast enough to finish a lesson in a minute or two (labels are translated when shown: QT_TRANSLATE_NOOP only marks them for pyside6-lupdate)</extracomment>
        <translation>全速</translation>
    </message>
    <message>
        <source>watch (30 steps/s)</source>
        <translation>观看 (30 步/秒)</translation>
    </message>
    <message>
        <source>100 steps/s</source>
        <translation>100 步/秒</translation>
    </message>
    <message>
        <source>10 steps/s</source>
        <translation>10 步/秒</translation>
    </message>
    <message>
        <source>3 steps/s</source>
        <translation>3 步/秒</translation>
    </message>
    <message>
        <source>1 step/s</source>
        <translation>1 步/秒</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Train continuously / pause (Space)</source>
        <translation>连续训练 / 暂停 (空格)</translation>
    </message>
    <message>
        <source>▶| Step</source>
        <translation>▶| 一步</translation>
    </message>
    <message>
        <source>Take exactly one optimizer step (S)</source>
        <translation>只走一步优化 (S)</translation>
    </message>
    <message>
        <source>⟲ Reset</source>
        <translation>⟲ 重置</translation>
    </message>
    <message>
        <source>Back to step 0 with the same initial weights and data (R)</source>
        <translation>回到第 0 步，使用相同的初始权重和数据 (R)</translation>
    </message>
    <message>
        <source>Slow training down to watch each step</source>
        <translation>放慢训练，观察每一步</translation>
    </message>
    <message>
        <source>Learning rate α; changes take effect at the next step (arrows: ×2 / ÷2)</source>
        <translation>学习率 α；修改从下一步开始生效 (箭头：×2 / ÷2)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>不修剪</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>按范数</translation>
    </message>
    <message>
        <source>value</source>
        <translation>按数值</translation>
    </message>
    <message>
        <source>Gradient clipping: norm rescales ‖g‖ to the threshold, value clamps each entry</source>
        <translation>梯度修剪：按范数把 ‖g‖ 缩放到阈值，按数值则截断每个元素</translation>
    </message>
    <message>
        <source>Clipping threshold (arrows: ×2 / ÷2)</source>
        <translation>修剪阈值 (箭头：×2 / ÷2)</translation>
    </message>
    <message>
        <source>speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>learning rate α</source>
        <translation>学习率 α</translation>
    </message>
    <message>
        <source>clip</source>
        <translation>梯度修剪</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
</context>
<context>
    <name>TrajectoryPanel</name>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>Could not fit the plane: {message}</source>
        <translation>无法拟合平面：{message}</translation>
    </message>
    <message>
        <source>No trace yet.</source>
        <translation>还没有追踪数据。</translation>
    </message>
    <message>
        <source>{n} of the task&apos;s examples</source>
        <translation>任务的 {n} 个样本</translation>
    </message>
    <message>
        <source>the last {n} traces</source>
        <translation>最近 {n} 次追踪</translation>
    </message>
    <message>
        <source>a&lt;t&gt; is not finite (the run diverged): no trajectory to draw.</source>
        <translation>a&lt;t&gt; 不是有限值 (训练发散了)：没有轨迹可画。</translation>
    </message>
    <message>
        <source>PC1 ({pct} % of the variance)</source>
        <translation>PC1 (方差的 {pct} %)</translation>
    </message>
    <message>
        <source>a&lt;t&gt; of the example{where}, from □ at t = 1, on the plane of the first two principal components of {source}.</source>
        <translation>样本的 a&lt;t&gt;{where}，从 t = 1 的 □ 出发，画在 {source} 的前两个主成分构成的平面上。</translation>
    </message>
</context>
<context>
    <name>UnitTextPanel</name>
    <message>
        <source>in a string</source>
        <extracomment>the tokenize signals of rnncore/tasks/code_signals.py, as the signal box names them</extracomment>
        <translation>在字符串内</translation>
    </message>
    <message>
        <source>in a comment</source>
        <translation>在注释内</translation>
    </message>
    <message>
        <source>in a string or comment</source>
        <translation>在字符串或注释内</translation>
    </message>
    <message>
        <source>bracket depth, in code</source>
        <translation>括号深度（代码中）</translation>
    </message>
    <message>
        <source>bracket depth, every character</source>
        <translation>括号深度（所有字符）</translation>
    </message>
    <message>
        <source>indentation level</source>
        <translation>缩进层级</translation>
    </message>
    <message>
        <source>column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>signal</source>
        <translation>信号</translation>
    </message>
    <message>
        <source>Rank on held-out files</source>
        <translation>在留出的文件上排序</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>trained</source>
        <translation>训练后</translation>
    </message>
    <message>
        <source>untrained (the run&apos;s initial weights)</source>
        <translation>未训练 (这次训练的初始权重)</translation>
    </message>
    <message>
        <source>Ranking units on the held-out files …</source>
        <translation>正在留出的文件上给单元排序 …</translation>
    </message>
    <message>
        <source>Could not compute: {message}</source>
        <translation>无法计算：{message}</translation>
    </message>
    <message>
        <source>Waiting for a trace …</source>
        <translation>正在等待追踪数据 …</translation>
    </message>
    <message>
        <source>Unit {u}: {name} after reading each character (blue −1, white 0, red +1).</source>
        <translation>单元 {u}：读入每个字符后的 {name} (蓝 −1，白 0，红 +1)。</translation>
    </message>
    <message>
        <source>Rank to find the units that track strings, brackets and indentation.</source>
        <translation>排序可找到跟踪字符串，括号和缩进的单元。</translation>
    </message>
    <message>
        <source>Held-out files, signal &apos;{s}&apos;: r = {r} for this unit; best {best}; untrained model&apos;s best |r| = {r0}.</source>
        <translation>留出的文件，信号 &apos;{s}&apos;：这个单元 r = {r}；最好的 {best}；未训练模型最好的 |r| = {r0}。</translation>
    </message>
    <message>
        <source>untrained</source>
        <translation>未训练</translation>
    </message>
    <message>
        <source>t = {t}, after {part}: {shown}</source>
        <translation>t = {t}，读入 {part} 之后：{shown}</translation>
    </message>
</context>
<context>
    <name>UnitsPanel</name>
    <message>
        <source>No run yet.</source>
        <translation>还没有训练。</translation>
    </message>
    <message>
        <source>Rank again</source>
        <translation>重新排序</translation>
    </message>
    <message>
        <source>Rank the units with the newest weights</source>
        <translation>用最新的权重给单元排序</translation>
    </message>
    <message>
        <source>Ablate top 1</source>
        <translation>消融第 1 名</translation>
    </message>
    <message>
        <source>Ablate top 2</source>
        <translation>消融前 2 名</translation>
    </message>
    <message>
        <source>rank by |r| with the number</source>
        <translation>按与单复数的 |r| 排序</translation>
    </message>
    <message>
        <source>rank by ablation effect</source>
        <translation>按消融的效果排序</translation>
    </message>
    <message>
        <source>|r|: how well c&lt;t&gt; at the verb predicts the subject&apos;s number. Ablation effect: accuracy lost on long sentences when the unit alone reads 0 (how Lakretz et al. found number units).</source>
        <translation>|r|：动词处的 c&lt;t&gt; 预测主语单复数的能力。消融效果：只让这个单元读数为 0 时，长句上损失的准确率 (Lakretz 等人就是这样找到单复数单元的)。</translation>
    </message>
    <message>
        <source>Number units run</source>
        <translation>单复数单元训练</translation>
    </message>
    <message>
        <source>Start agreement with preset=number-units: an LSTM language model with H = 128, trained 2500 steps (press Play), in which ablation finds the few number units of Lakretz et al. (2019). Ranks by ablation.</source>
        <translation>以 preset=number-units 开始 agreement 任务：一个 H = 128 的 LSTM 语言模型，训练 2500 步 (按播放)，消融能在其中找到 Lakretz 等人 (2019) 所说的少数单复数单元。按消融排序。</translation>
    </message>
    <message>
        <source>Restore all</source>
        <translation>全部恢复</translation>
    </message>
    <message>
        <source>ablate: read as 0</source>
        <translation>消融：读数为 0</translation>
    </message>
    <message>
        <source>clamp to value:</source>
        <translation>钳位到数值：</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>layer / direction</source>
        <translation>层 / 方向</translation>
    </message>
    <message>
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>ablated</source>
        <translation>已消融</translation>
    </message>
    <message>
        <source>task metric</source>
        <translation>任务指标</translation>
    </message>
    <message>
        <source>intact</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>with the units changed</source>
        <translation>改变这些单元后</translation>
    </message>
    <message>
        <source>change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>ranking the units …</source>
        <translation>正在给单元排序 …</translation>
    </message>
    <message>
        <source>evaluating …</source>
        <translation>正在评估 …</translation>
    </message>
    <message>
        <source>Could not do it: {message}</source>
        <translation>无法完成：{message}</translation>
    </message>
    <message>
        <source>{n} unit(s) ablated (read as 0)</source>
        <translation>{n} 个单元已消融 (读数为 0)</translation>
    </message>
    <message>
        <source>{n} unit(s) clamped to {value}</source>
        <translation>{n} 个单元钳位到 {value}</translation>
    </message>
    <message>
        <source>Metrics of the newest weights, {what}</source>
        <translation>最新权重的指标，{what}</translation>
    </message>
    <message>
        <source> (quick: {n} held-out sentences per distance and attractor count).</source>
        <translation> (快速：每个距离和干扰词数各 {n} 个留出的句子)。</translation>
    </message>
    <message>
        <source>Waiting for the model&apos;s weights …</source>
        <translation>正在等待模型的权重 …</translation>
    </message>
    <message>
        <source>Ranking the units …</source>
        <translation>正在给单元排序 …</translation>
    </message>
    <message>
        <source>Units ranked by the accuracy each loses when ablated alone, on {n} long sentences (as Lakretz et al. 2019 found number units). Tick units to ablate them together and watch long-distance accuracy.</source>
        <translation>按每个单元单独消融时在 {n} 个长句上损失的准确率排序 (Lakretz 等人 2019 年就是这样找到单复数单元的)。勾选单元可一起消融，观察长距离准确率。</translation>
    </message>
    <message>
        <source>Units ranked by |r| between c&lt;t&gt; at the verb and the subject&apos;s number ({n} sentences): a high score is a “number unit” (Lakretz et al. 2019). Tick units to ablate them and watch long-distance accuracy.</source>
        <translation>按动词处的 c&lt;t&gt; 与主语单复数之间的 |r| 排序 ({n} 个句子)：分数高的是“单复数单元” (Lakretz 等人 2019)。勾选单元可消融它们，观察长距离准确率。</translation>
    </message>
    <message>
        <source>This task has no subject number to predict: units ranked by the variance of c&lt;t&gt; over {n} examples. Tick units to ablate them and compare the metrics.</source>
        <translation>这个任务没有要预测的主语单复数：按 c&lt;t&gt; 在 {n} 个样本上的方差排序。勾选单元可消融它们并比较指标。</translation>
    </message>
    <message>
        <source>{diff} points</source>
        <translation>{diff} 个百分点</translation>
    </message>
</context>
<context>
    <name>UnsavedGuard</name>
    <message>
        <source>Unsaved training</source>
        <extracomment>seconds a Save before closing waits for the training process&apos;s answer</extracomment>
        <translation>未保存的训练</translation>
    </message>
    <message>
        <source>The run is at step {step:,}; it was last saved at step {saved:,}.</source>
        <translation>训练已到第 {step:,} 步；上次保存在第 {saved:,} 步。</translation>
    </message>
    <message>
        <source>Save it before you {what}?</source>
        <translation>在{what}之前保存吗？</translation>
    </message>
    <message>
        <source>The run was not saved; nothing was closed.</source>
        <translation>训练没有保存；什么也没有关闭。</translation>
    </message>
</context>
<context>
    <name>VocabularyDialog</name>
    <message>
        <source>Vocabulary ({n} tokens)</source>
        <translation>词表 ({n} 个记号)</translation>
    </message>
    <message>
        <source>Click a token to add it to the box. Other words are read as the out-of-vocabulary token and named.</source>
        <translation>点击一个词把它加入输入框。其他单词读作词表外的记号，并会被指出。</translation>
    </message>
</context>
<context>
    <name>gui</name>
    <message>
        <source>No tasks are installed.</source>
        <translation>没有安装任何任务。</translation>
    </message>
</context>
</TS>
