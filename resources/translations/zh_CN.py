"""Chinese of the interface, by English source text (and "Context|source" where one English
word needs two Chinese ones). tools/fill: resources/translations/fill.py writes these into the
.ts; the terms are the notes' own (更新门 Γu, 遗忘门 Γf, 输出门 Γo, 相关门 Γr, 记忆细胞 c,
梯度修剪, 穿越时间的反向传播)."""
ZH = {
    # lesson player
    "◀ Back": "◀ 上一课", "Next ▶": "下一课 ▶", "Open this lesson's preset": "打开本课的预设",
    "Look here": "请看这里", "Question": "问题", "Answer from the app": "由应用回答",
    "Lesson {n} of {total}": "第 {n} 课，共 {total} 课",
    "Train the preset first (Open this lesson's preset, then Play).": "请先训练预设 (打开本课的预设，再按播放)。",
    "✓ answered": "✓ 已回答", "(trains beside a second model: {what})": "(与另一个模型同时训练：{what})",
    "Lesson": "课程",
    "This lesson compares with a second model: rnnscope train {cli}  — “Answer from the app” trains it in the background and compares.":
        "本课与另一个模型比较：rnnscope train {cli}  — “由应用回答”会在后台训练它并进行比较。",
    "Open this lesson's preset first: the run now is another task.": "请先打开本课的预设：现在的训练是另一个任务。",
    # cell diagram
    "Forward: each gate reads [a<t-1>, x<t>] through its weights; c<t> and a<t> follow.":
        "前向传播：每个门通过自己的权重读入 [a<t-1>, x<t>]；随后得到 c<t> 和 a<t>。",
    "Loss: L = Σ_t L<t> compares ŷ<t> with y<t>.": "损失：L = Σ_t L<t> 比较 ŷ<t> 与 y<t>。",
    "Backprop through time: ‖∂L/∂W‖ of each gate's weights (all steps, the whole batch).":
        "穿越时间的反向传播：每个门权重的 ‖∂L/∂W‖ (所有时间步，整个批次)。",
    "Clip: the global gradient norm is rescaled to the threshold when it is larger.":
        "梯度修剪：全局梯度范数超过阈值时，被缩放到阈值。",
    "Update: the optimizer changes each gate's weights by ΔW.": "更新：优化器把每个门的权重改变 ΔW。",
    "forward": "前向", "loss": "损失", "backprop": "反向传播", "clip": "修剪", "update": "更新",
    "mean over units": "各单元的平均", "selected unit": "选中的单元", "No run yet.": "还没有训练。",
    "Step through one update ▸": "逐步查看一次更新 ▸",
    "One phase per press on a copy of the model: forward → loss → backprop → clip → update (the run itself is not changed)":
        "每按一次走一个阶段，在模型的副本上进行：前向 → 损失 → 反向传播 → 修剪 → 更新 (训练本身不受影响)",
    "Phases need a task to draw a batch from and the model's weights.": "分阶段查看需要一个能抽取批次的任务和模型的权重。",
    "The update is done. Press again to step through another one (from the newest weights of the run).":
        "更新已完成。再按一次可查看下一次更新 (从训练最新的权重开始)。",
    "computing one optimizer step on a copy of the model …": "正在模型的副本上计算一步优化 …",
    "Could not step: {message}": "无法执行这一步：{message}",
    "L = {loss} over the batch ({n} steps)": "整个批次上 L = {loss} ({n} 个时间步)",
    "L = {loss} over the batch": "整个批次上 L = {loss}",
    "‖g‖ = {before} → {after} (clipped), mode {mode}, threshold {threshold}.":
        "‖g‖ = {before} → {after} (已修剪)，方式 {mode}，阈值 {threshold}。",
    "‖g‖ = {before} → {after} (not clipped), mode {mode}, threshold {threshold}.":
        "‖g‖ = {before} → {after} (未修剪)，方式 {mode}，阈值 {threshold}。",
    "This layer:": "本层：", "(learning rate α = {lr})": "(学习率 α = {lr})", "(no trace yet)": "(还没有追踪数据)",
    "(no run yet)": "(还没有训练)", "= a[{l}]<t> from layer [{l}]": "= 来自第 [{l}] 层的 a[{l}]<t>",
    "unit {unit}": "单元 {unit}", "mean over the {n} units": "{n} 个单元的平均",
    # chrome
    "Space  play / pause\nS  one optimizer step\nR  reset (same initial weights)\n← →  move t\nHome End  first / last step\nEsc / Enter  leave the text box (keys act on training again)\nF1  equations at t\nCtrl+N new run, Ctrl+O open, Ctrl+S save, Ctrl+E export":
        "空格  播放 / 暂停\nS  一步优化\nR  重置 (相同的初始权重)\n← →  移动 t\nHome End  第一个 / 最后一个时间步\nEsc / Enter  离开输入框 (按键重新控制训练)\nF1  t 处的方程\nCtrl+N 新训练，Ctrl+O 打开，Ctrl+S 保存，Ctrl+E 导出",
    " bidirectional": " 双向", ", {n} layers": "，{n} 层",
    "Imported weights: no task, so training is off. The display example has random inputs; ◀ ▶ random draw others.":
        "导入的权重：没有任务，因此不能训练。展示的样本是随机输入；◀ ▶ 随机 可换其他样本。",
    "Press ▶ Play (Space) to train, S for one step.": "按 ▶ 播放 (空格) 开始训练，按 S 走一步。",
    "; the task's target is met": "；已达到任务的目标", "; the task's target is not met yet": "；尚未达到任务的目标",
    "Training paused so you can look: scrub t, open the tools, or keep training (▶ Play also goes on).":
        "训练已暂停，方便你观察：拖动 t，打开工具，或继续训练 (▶ 播放 也会继续)。",
    "Hide this message": "隐藏这条消息",
    "This panel could not be built: {error}": "无法创建这个面板：{error}",
    # equations
    "update / input gate": "更新门 / 输入门", "forget gate": "遗忘门", "output gate": "输出门",
    "g is the activation chosen for the run (the notes write σ; tanh is usual). W_a = [W_aa | W_ax].":
        "g 是这次训练选用的激活函数 (笔记写作 σ；通常用 tanh)。W_a = [W_aa | W_ax]。",
    "When Γu ≈ 0, c<t> ≈ c<t-1>: the cell holds a fact across many steps and the gradient does not vanish along that path.":
        "当 Γu ≈ 0 时，c<t> ≈ c<t-1>：细胞跨越许多时间步保持一个信息，梯度沿这条路径也不会消失。",
    "Γr decides how relevant c<t-1> is to the candidate c̃<t>. (PyTorch's update gate z is 1 − Γu.)":
        "Γr 决定 c<t-1> 与候选值 c̃<t> 有多相关。(PyTorch 的更新门 z 是 1 − Γu.)",
    "The notes write a<t> = Γo * c<t>; the standard LSTM applies tanh to c<t>, as here.":
        "笔记写作 a<t> = Γo * c<t>；标准的 LSTM 对 c<t> 取 tanh，这里也是如此。",
    "No run yet: File ▸ New run.": "还没有训练：文件 ▸ 新训练。",
    "Vanilla RNN": "基本 RNN", "Simplified GRU": "简化的 GRU",
    " (PyTorch variant: Γr after the product)": " (PyTorch 变体：Γr 在乘积之后)",
    "Layer 1, → forward direction, at t = {t}; units {units}.": "第 1 层，→ 正向，t = {t}；单元 {units}。",
    "Layer 1, at t = {t}; units {units}.": "第 1 层，t = {t}；单元 {units}。",
    "* is element-wise, σ the sigmoid, [·, ·] stacks two vectors.": "* 是逐元素相乘，σ 是 sigmoid，[·, ·] 把两个向量拼接起来。",
    "Deep RNN: layer l reads a[l-1]<t> in place of x<t>: a[l]<t> = g(W_a[l] [a[l]<t-1>, a[l-1]<t>] + b_a[l]).":
        "深层 RNN：第 l 层读入 a[l-1]<t> 代替 x<t>：a[l]<t> = g(W_a[l] [a[l]<t-1>, a[l-1]<t>] + b_a[l])。",
    "Bidirectional: ŷ<t> = g(W_y [→a<t>, ←a<t>] + b_y).": "双向：ŷ<t> = g(W_y [→a<t>, ←a<t>] + b_y)。",
    "Output: ŷ<t> = g(W_ya a<t> + b_y); loss L = Σ_t L<t>(ŷ<t>, y<t>).": "输出：ŷ<t> = g(W_ya a<t> + b_y)；损失 L = Σ_t L<t>(ŷ<t>, y<t>)。",
    "Equations of the cell": "单元的方程",
    # flow
    "No gradients traced yet.": "还没有追踪到梯度。",
    "‖∂L/∂a<t>‖ summed over the loss of every step, log scale.": "‖∂L/∂a<t>‖，对每个时间步的损失求和，对数刻度。",
    "the gradient is not finite (the run diverged), so nothing can be drawn for it.": "梯度不是有限值 (训练发散了)，无法画出。",
    "∂L/∂a<t> is exactly 0 at every step: this example's loss has nothing left to teach.":
        "∂L/∂a<t> 在每个时间步都恰好为 0：这个样本的损失已经没有什么可教的了。",
    " (top layer, →)": " (最上层，→)",
    ":  the loss enters at the last step; what reaches t = 1 is what can be learned from it.":
        "：损失在最后一个时间步进入；能传到 t = 1 的部分，才是能从中学到的。",
    # gradient check
    "W_ax of every gate": "每个门的 W_ax", "W_aa of every gate": "每个门的 W_aa", "b of every gate": "每个门的 b",
    "b of c̃'s W_aa a": "c̃ 中 W_aa a 的 b", "word embeddings": "词嵌入", "Check the gradients": "检验梯度",
    "Central differences vs backpropagation through time, float64, on {batch} examples of the task ({entries} entries per parameter)":
        "中心差分与穿越时间的反向传播对比，float64，在任务的 {batch} 个样本上 (每个参数 {entries} 个元素)",
    "Compares ∂L/∂W from backpropagation through time with (L(W + ε) − L(W − ε)) / 2ε for each parameter, in float64. ‖num − ana‖ / max(‖num‖ + ‖ana‖, {floor}) below {tol} passes (the floor: a trained model's gradients are tiny, not wrong).":
        "对每个参数，用 float64 比较穿越时间的反向传播得到的 ∂L/∂W 与 (L(W + ε) − L(W − ε)) / 2ε。‖num − ana‖ / max(‖num‖ + ‖ana‖, {floor}) 小于 {tol} 即通过 (下限的原因：训练好的模型梯度很小，但并不错)。",
    "parameter": "参数", "in the notes": "笔记中的记号", "shape": "形状", "relative error": "相对误差",
    "No model yet.": "还没有模型。", "No examples to check on.": "没有可以检验的样本。",
    "checking … (central differences take a few seconds)": "正在检验 … (中心差分需要几秒钟)",
    "Could not check: {message}": "无法检验：{message}", "pass": "通过", "FAIL": "失败",
    "{bad} of {n} parameters FAIL (worst {worst}) at step {step}.": "第 {step} 步：{n} 个参数中有 {bad} 个失败 (最差 {worst})。",
    "All {n} parameters pass at step {step}: largest relative error {worst}.": "第 {step} 步：全部 {n} 个参数通过，最大相对误差 {worst}。",
    "Training has moved on (now step {step}): press the button to check again.": "训练已经继续 (现在是第 {step} 步)：按按钮重新检验。",
    # gradient norm
    "log scale": "对数刻度", "per parameter": "按参数",
    "‖g‖ of each weight matrix and bias at the newest traced step, before clipping": "最新追踪的一步中，每个权重矩阵和偏置的 ‖g‖ (修剪前)",
    "optimizer step": "优化步数", "global ‖g‖": "全局 ‖g‖",
    "‖g‖ before clipping, newest traced step": "修剪前的 ‖g‖，最新追踪的一步",
    "step {step}: ‖g‖ = {before} before, {after} after\nlargest {peak}, clipped on {pct} % of its steps":
        "第 {step} 步：修剪前 ‖g‖ = {before}，修剪后 {after}\n最大 {peak}，{pct} % 的步被修剪",
    "No steps yet.": "还没有训练步。", "clip by norm at {value}": "按范数修剪，阈值 {value}",
    "clip by value at ±{value} per entry (no norm threshold)": "按数值修剪，每个元素限制在 ±{value} (没有范数阈值)",
    "no clipping": "不修剪", "{how}: clipped on {pct} % of {n} steps;  last ‖g‖ = {last}": "{how}：{n} 步中 {pct} % 被修剪；最后 ‖g‖ = {last}",
    "before clipping": "修剪前", "after clipping": "修剪后", "largest of each point's steps": "每个点所含各步的最大值",
    "clipped": "已修剪", "threshold {value}": "阈值 {value}",
    # influence
    "normalise each row": "每行归一化", "input x<t'>": "输入 x<t'>", "prediction ŷ<t>": "预测 ŷ<t>",
    "Could not compute the influence: {message}": "无法计算影响：{message}", "Computing ‖∂ŷ<t>/∂x<t'>‖ …": "正在计算 ‖∂ŷ<t>/∂x<t'>‖ …",
    "each row scaled to its largest entry": "每行按其最大值缩放", "scaled to the largest entry, {value}": "按最大值 {value} 缩放",
    "How much each input x<t'> moves each prediction ŷ<t> ({what}).": "每个输入 x<t'> 对每个预测 ŷ<t> 的影响有多大 ({what})。",
    "How much each input x<t'> moves the prediction ŷ (target y = {y}) ({what}).": "每个输入 x<t'> 对预测 ŷ 的影响有多大 (目标 y = {y}) ({what})。",
    "How much each input x<t'> moves the prediction ŷ ({what}).": "每个输入 x<t'> 对预测 ŷ 的影响有多大 ({what})。",
    # menus
    "&File": "文件(&F)", "&New run…": "新训练(&N)…", "&Open run…": "打开训练(&O)…", "Open &recent": "最近打开(&R)",
    "&Save run": "保存训练(&S)", "Save run &as…": "训练另存为(&A)…", "&Import PyTorch weights…": "导入 PyTorch 权重(&I)…",
    "&Export": "导出(&E)", "Dashboard as PNG or SVG…": "仪表盘导出为 PNG 或 SVG…", "One panel as PNG or SVG": "单个面板导出为 PNG 或 SVG",
    "Training history as CSV…": "训练历史导出为 CSV…", "Trace of the example as .npz…": "样本的追踪数据导出为 .npz…",
    "Trace of the example as CSV…": "样本的追踪数据导出为 CSV…", "&Quit": "退出(&Q)", "&Training": "训练(&T)",
    "Evaluate the task's metrics now": "现在评估任务的指标", "Race the four cells on this task…": "让四种单元在这个任务上比赛…",
    "&View": "视图(&V)", "Reset layout": "重置布局", "Language / 语言": "语言 / Language", "&Help": "帮助(&H)",
    "Equations of the cell (values at t)": "单元的方程 (t 处的数值)", "Keys": "按键", "&Lessons": "课程(&L)",
    "Plots' inner labels change after a restart": "图内的标签在重新启动后才会改变",
    # new run dialog
    "RNN (a<t> = g(W_a[a<t-1>, x<t>] + b_a))": "RNN (a<t> = g(W_a[a<t-1>, x<t>] + b_a))",
    "Simplified GRU (Γu only)": "简化的 GRU (只有 Γu)", "New run": "新训练", "Task": "任务", "Task options": "任务选项",
    "Model": "模型", "Cell": "单元", "g of the RNN": "RNN 的 g", "Hidden units H": "隐藏单元数 H",
    "Layers (deep RNN)": "层数 (深层 RNN)", "bidirectional (→a and ←a)": "双向 (→a 和 ←a)", "Training": "训练",
    "Optimizer": "优化器", "Learning rate α": "学习率 α", "none": "不修剪", "norm": "按范数", "value": "按数值",
    "Gradient clipping": "梯度修剪", "Clip threshold": "修剪阈值", "Batch size": "批次大小", "Seed": "随机种子",
    "No tasks are installed.": "没有安装任何任务。",
    # panel titles and shared names
    "Gradient check": "梯度检验", "Influence ‖∂ŷ<t>/∂x<t'>‖": "影响 ‖∂ŷ<t>/∂x<t'>‖", "Gate saturation": "门的饱和",
    "Hidden-state trajectory a<t> (PCA)": "隐藏状态轨迹 a<t> (PCA)", "Text coloured by a unit": "按单元着色的文本",
    "Unit inspector: rank, ablate, clamp": "单元检查：排序，消融，钳位", "encoder": "编码器", "decoder": "解码器",
    "→ forward": "→ 正向", "← backward": "← 反向", "layer [{n}]": "第 [{n}] 层", "Cell diagram at t": "t 处的单元结构图",
    "Gradient flow": "梯度流", "Gradient norm ‖g‖": "梯度范数 ‖g‖", "Sequence x<t>, y<t>, ŷ<t>": "序列 x<t>, y<t>, ŷ<t>",
    "Gates Γ<t>": "门 Γ<t>", "Memory c<t>, hidden a<t>": "记忆细胞 c<t>，隐藏 a<t>", "Loss L<t> and L": "损失 L<t> 与 L",
    "Metrics": "指标",
    # race
    "accuracy by {what}": "按 {what} 的准确率", "metric by {what}": "按 {what} 的指标", "RNN Scope: race on {task}": "RNN Scope：在 {task} 上比赛",
    "Play": "播放", "Step": "一步", "Evaluate": "评估", "Compute the task's metrics for every cell (takes a moment)": "计算每种单元的任务指标 (需要一点时间)",
    "Reset": "重置", "Starting…": "正在启动…", "RaceWindow|step": "步数", "loss L": "损失 L", "Loss while training": "训练中的损失",
    "Gradient through time": "穿越时间的梯度", "distance": "距离", "accuracy": "准确率",
    "Metrics by distance (press Evaluate)": "按距离的指标 (按“评估”)", "Evaluating every cell…": "正在评估每种单元…",
    "Pause": "暂停", "Error: {error}": "错误：{error}", "{cell} stopped": "{cell} 已停止", "round {n}": "第 {n} 轮",
    # saturation
    "Γu  update gate": "Γu  更新门", "Γr  relevance gate": "Γr  相关门", "Γf  forget gate": "Γf  遗忘门", "Γo  output gate": "Γo  输出门",
    "closed: Γ < {lo}": "关闭：Γ < {lo}", "open: Γ > {hi}": "打开：Γ > {hi}",
    "unit {unit}: closed {closed} % of steps, open {open} %": "单元 {unit}：{closed} % 的时间步关闭，{open} % 打开",
    "{gate} closed {closed} %, open {open} %": "{gate} 关闭 {closed} %，打开 {open} %", "unit {unit}: ": "单元 {unit}：",
    "No trace yet.": "还没有追踪数据。", "the vanilla RNN has no σ gates to saturate. Choose a GRU or an LSTM.": "基本 RNN 没有会饱和的 σ 门。请选择 GRU 或 LSTM。",
    "{n} steps of {m} examples": "{m} 个样本的 {n} 个时间步", "the {n} steps of the example": "这个样本的 {n} 个时间步",
    "{name}, over {over}: one dot per unit. Top left: open almost always; bottom right: closed almost always. Click a dot to select the unit.":
        "{name}，统计 {over}：每个点是一个单元。左上：几乎总是打开；右下：几乎总是关闭。点击一个点可选中该单元。",
    # status line
    "optimizer steps taken": "已走的优化步数", "L = Σ_t L<t> of the latest batch": "最新批次的 L = Σ_t L<t>",
    "training speed": "训练速度", "fraction of steps whose gradient was clipped": "梯度被修剪的步数比例",
    "step {n}": "第 {n} 步", "{rate} steps/s": "{rate} 步/秒", "paused": "已暂停", "clipped {pct} % of steps": "{pct} % 的步被修剪",
    # time bar
    "Play through time: move t across the example": "沿时间播放：让 t 走过整个样本",
    "Time step t shown by every panel (← → Home End)": "所有面板显示的时间步 t (← → Home End)", "example": "样本",
    "Previous example": "上一个样本", "Next example": "下一个样本", "random": "随机", "A random example": "随机一个样本",
    "type your own sequence and press Enter …": "输入你自己的序列，按回车 …",
    "Type a sequence and press Enter; Esc (or Enter) leaves the box, so Space, S, R and the arrows drive training and time again":
        "输入一个序列并按回车；Esc (或回车) 离开输入框，空格、S、R 和方向键重新控制训练和时间",
    # toolbar
    "full speed": "全速", "watch (30 steps/s)": "观看 (30 步/秒)", "100 steps/s": "100 步/秒", "10 steps/s": "10 步/秒",
    "3 steps/s": "3 步/秒", "1 step/s": "1 步/秒", "Train continuously / pause (Space)": "连续训练 / 暂停 (空格)",
    "▶| Step": "▶| 一步", "Take exactly one optimizer step (S)": "只走一步优化 (S)", "⟲ Reset": "⟲ 重置",
    "Back to step 0 with the same initial weights and data (R)": "回到第 0 步，使用相同的初始权重和数据 (R)",
    "Slow training down to watch each step": "放慢训练，观察每一步",
    "Learning rate α; changes take effect at the next step (arrows: ×2 / ÷2)": "学习率 α；修改从下一步开始生效 (箭头：×2 / ÷2)",
    "Gradient clipping: norm rescales ‖g‖ to the threshold, value clamps each entry": "梯度修剪：按范数把 ‖g‖ 缩放到阈值，按数值则截断每个元素",
    "Clipping threshold (arrows: ×2 / ÷2)": "修剪阈值 (箭头：×2 / ÷2)", "speed": "速度", "learning rate α": "学习率 α",
    "TrainingToolbar|clip": "梯度修剪", "threshold": "阈值", "❚❚ Pause": "❚❚ 暂停", "▶ Play": "▶ 播放",
    # trajectory
    "Could not fit the plane: {message}": "无法拟合平面：{message}", "{n} of the task's examples": "任务的 {n} 个样本",
    "the last {n} traces": "最近 {n} 次追踪", "a<t> is not finite (the run diverged): no trajectory to draw.": "a<t> 不是有限值 (训练发散了)：没有轨迹可画。",
    "PC1 ({pct} % of the variance)": "PC1 (方差的 {pct} %)",
    "a<t> of the example{where}, from □ at t = 1, on the plane of the first two principal components of {source}.":
        "样本的 a<t>{where}，从 t = 1 的 □ 出发，画在 {source} 的前两个主成分构成的平面上。",
    # unit text
    "unit": "单元", "signal": "信号", "Rank on held-out files": "在留出的文件上排序", "trained": "训练后",
    "untrained (the run's initial weights)": "未训练 (这次训练的初始权重)", "Ranking units on the held-out files …": "正在留出的文件上给单元排序 …",
    "Could not compute: {message}": "无法计算：{message}", "Waiting for a trace …": "正在等待追踪数据 …",
    "Unit {u}: {name} after reading each character (blue −1, white 0, red +1).": "单元 {u}：读入每个字符后的 {name} (蓝 −1，白 0，红 +1)。",
    "Rank to find the units that track strings, brackets and indentation.": "排序可找到跟踪字符串，括号和缩进的单元。",
    "Held-out files, signal '{s}': r = {r} for this unit; best {best}; untrained model's best |r| = {r0}.":
        "留出的文件，信号 '{s}'：这个单元 r = {r}；最好的 {best}；未训练模型最好的 |r| = {r0}。",
    "untrained": "未训练", "t = {t}, after {part}: {shown}": "t = {t}，读入 {part} 之后：{shown}",
    # units
    "Rank again": "重新排序", "Rank the units with the newest weights": "用最新的权重给单元排序", "Ablate top 1": "消融第 1 名",
    "Ablate top 2": "消融前 2 名", "rank by |r| with the number": "按与单复数的 |r| 排序", "rank by ablation effect": "按消融的效果排序",
    "|r|: how well c<t> at the verb predicts the subject's number. Ablation effect: accuracy lost on long sentences when the unit alone reads 0 (how Lakretz et al. found number units).":
        "|r|：动词处的 c<t> 预测主语单复数的能力。消融效果：只让这个单元读数为 0 时，长句上损失的准确率 (Lakretz 等人就是这样找到单复数单元的)。",
    "Number units run": "单复数单元训练",
    "Start agreement with preset=number-units: an LSTM language model with H = 128, trained 2500 steps (press Play), in which ablation finds the few number units of Lakretz et al. (2019). Ranks by ablation.":
        "以 preset=number-units 开始 agreement 任务：一个 H = 128 的 LSTM 语言模型，训练 2500 步 (按播放)，消融能在其中找到 Lakretz 等人 (2019) 所说的少数单复数单元。按消融排序。",
    "Restore all": "全部恢复", "ablate: read as 0": "消融：读数为 0", "clamp to value:": "钳位到数值：",
    "layer / direction": "层 / 方向", "score": "分数", "ablated": "已消融", "task metric": "任务指标", "intact": "完整",
    "with the units changed": "改变这些单元后", "change": "变化", "ranking the units …": "正在给单元排序 …", "evaluating …": "正在评估 …",
    "Could not do it: {message}": "无法完成：{message}", "{n} unit(s) ablated (read as 0)": "{n} 个单元已消融 (读数为 0)",
    "{n} unit(s) clamped to {value}": "{n} 个单元钳位到 {value}", "Metrics of the newest weights, {what}": "最新权重的指标，{what}",
    " (quick: {n} held-out sentences per distance and attractor count).": " (快速：每个距离和干扰词数各 {n} 个留出的句子)。",
    "Waiting for the model's weights …": "正在等待模型的权重 …", "Ranking the units …": "正在给单元排序 …",
    "Units ranked by the accuracy each loses when ablated alone, on {n} long sentences (as Lakretz et al. 2019 found number units). Tick units to ablate them together and watch long-distance accuracy.":
        "按每个单元单独消融时在 {n} 个长句上损失的准确率排序 (Lakretz 等人 2019 年就是这样找到单复数单元的)。勾选单元可一起消融，观察长距离准确率。",
    "Units ranked by |r| between c<t> at the verb and the subject's number ({n} sentences): a high score is a “number unit” (Lakretz et al. 2019). Tick units to ablate them and watch long-distance accuracy.":
        "按动词处的 c<t> 与主语单复数之间的 |r| 排序 ({n} 个句子)：分数高的是“单复数单元” (Lakretz 等人 2019)。勾选单元可消融它们，观察长距离准确率。",
    "This task has no subject number to predict: units ranked by the variance of c<t> over {n} examples. Tick units to ablate them and compare the metrics.":
        "这个任务没有要预测的主语单复数：按 c<t> 在 {n} 个样本上的方差排序。勾选单元可消融它们并比较指标。",
    "{diff} points": "{diff} 个百分点",
    # the tasks (rnncore/tasks, marked in app/window/task_words.py)
    "Adding problem": "加法问题",
    "Gradients vanish over long lags for a plain RNN; an LSTM's memory cell carries two marked numbers across T steps.":
        "时间间隔很长时，基本 RNN 的梯度会消失；LSTM 的记忆细胞能把两个标记的数跨越 T 个时间步带过去。",
    "Plural agreement": "单复数一致",
    "Long-range dependency: the verb agrees with its subject, which is not always the first noun (\"the boys said that the cat near the dogs was …\"); the GRU/LSTM memory cell keeps its number, a plain RNN's gradient vanishes.":
        "长距离依赖：动词与它的主语保持单复数一致，而主语不一定是第一个名词 (\"the boys said that the cat near the dogs was …\")；GRU/LSTM 的记忆细胞记住它的单复数，基本 RNN 的梯度却会消失。",
    "Python source, raw characters": "Python 源代码，原始字符",
    "A character model reading raw Python source grows cells that track being inside a string, the bracket depth and the indentation.":
        "读原始 Python 源代码的字符模型，会长出跟踪“是否在字符串内”、括号深度和缩进的单元。",
    "Date translation": "日期翻译",
    "Encoder-decoder (T_x ≠ T_y): an encoder reads '26 nov 2026', a decoder writes '2026-11-26'.":
        "编码器-解码器 (T_x ≠ T_y)：编码器读入 '26 nov 2026'，解码器写出 '2026-11-26'。",
    "Exploding gradients": "梯度爆炸",
    "Large recurrent weights make ∂L/∂a<t> grow step after step back in time; clipping the gradient norm keeps training stable.":
        "较大的循环权重让 ∂L/∂a<t> 沿时间往回一步一步变大；梯度修剪 (限制梯度范数) 让训练保持稳定。",
    "Language model": "语言模型",
    "A language model gives each sentence a probability: 'pear salad' beats 'pair salad'; sampling shows what it learned.":
        "语言模型给每个句子一个概率：'pear salad' 胜过 'pair salad'；采样能看出它学到了什么。",
    "Melody from a style": "由风格生成旋律",
    "One-to-many: one style vector in, a sequence of notes out, each sampled note fed back in.":
        "一对多：输入一个风格向量，输出一串音符，每个采样出的音符再作为下一步的输入。",
    "Name tagging": "人名标注",
    "Notation and the per-timestep loss: y<t> = 1 if the t-th word is part of a person's name, L = Σ_t L<t> (\"Harry Potter and Hermione Granger invented a new spell\").":
        "符号表示和每个时间步的损失：第 t 个单词是人名的一部分时 y<t> = 1，L = Σ_t L<t> (\"Harry Potter and Hermione Granger invented a new spell\")。",
    "Sentiment of short reviews": "短评的情感",
    "Many-to-one: a whole review in, one rating out; \"not good at all\" is negative, and after \"but\" the last clause decides, so word order matters.":
        "多对一：输入一整条评论，输出一个评分；\"not good at all\" 是负面的，\"but\" 之后由最后一个分句决定，所以词序很重要。",
    "Teddy: name or bear?": "Teddy：人名还是玩具熊？",
    "Bidirectional RNN: whether \"Teddy\" is a name is decided by the words after it (\"Teddy bears are on sale\" / \"Teddy Roosevelt was a great president\"); only →a and ←a together can know.":
        "双向 RNN：\"Teddy\" 是不是人名，由它后面的单词决定 (\"Teddy bears are on sale\" / \"Teddy Roosevelt was a great president\")；只有 →a 和 ←a 合在一起才能知道。",
    "Your labeled sequences (TSV)": "你自己标注的序列 (TSV)",
    "Your own sequences: many-to-many tagging or many-to-one classification, per-timestep loss.":
        "你自己的序列：多对多标注或多对一分类，每个时间步的损失。",
    # the heatmaps (app/panels/heatmap.py)
    "no data yet": "还没有数据", "unit {u}, t = {t}{word}: {name} = {value}": "单元 {u}，t = {t}{word}：{name} = {value}",
    "Heatmap|unit": "单元",
    # issue 9a's files (app/window/inputs.py, app/panels/sequence*.py, gates.py, memory.py, loss.py)
    "a date: 26 nov 2026, november 26, 2026, 26/11/2026, 26.11.2026": "一个日期：26 nov 2026、november 26, 2026、26/11/2026、26.11.2026",
    "a review: the movie was not bad at all": "一条评论：the movie was not bad at all",
    "a sentence with Teddy: Teddy bears are soft": "一个含 Teddy 的句子：Teddy bears are soft",
    "a sentence; capitals mark names: Rose found the old book": "一个句子，大写字母标出人名：Rose found the old book",
    "a sentence; its first was/were is the verb: the keys to the cabinet were": "一个句子，其中第一个 was/were 是动词：the keys to the cabinet were",
    "a style ({styles}), then {n} notes or none: arpeggio C4 E4 G4 …": "一个风格 ({styles})，再加 {n} 个音符或不加：arpeggio C4 E4 G4 …",
    "any code: def f(x):": "任意代码：def f(x):",
    "numbers separated by spaces: 1 0.5 -2 3": "用空格分开的数：1 0.5 -2 3",
    "numbers, the two to add in brackets: 0.3 [0.5] 0.1 [0.2] 0.9": "一串数，要相加的两个放在方括号里：0.3 [0.5] 0.1 [0.2] 0.9",
    "x<{t}> = {word}: not in the vocabulary, read as {oov}": "x<{t}> = {word}：不在词表中，读作 {oov}",
    "vocabulary": "词表",
    "Click a token to add it to the box. Other words are read as the out-of-vocabulary token and named.": "点击一个词把它加入输入框。其他单词读作词表外的记号，并会被指出。",
    "Vocabulary ({n} tokens)": "词表 ({n} 个记号)",
    "not in the vocabulary, read as <unk>: {words}": "不在词表中，读作 <unk>：{words}",
    "not in the vocabulary, read as {oov} (this task has no <unk>): {words}": "不在词表中，读作 {oov} (这个任务没有 <unk>)：{words}",
    "skipped: {pieces}": "已跳过：{pieces}",
    "no known answer for this input: the panels show the model's prediction only": "这个输入没有已知答案：面板只显示模型的预测",
    "The {n} tokens this task reads": "这个任务读入的 {n} 个记号", "This task reads numbers, not tokens": "这个任务读入的是数，不是记号",
    "Could not trace your sequence: the model cannot read it.": "无法追踪你的序列：模型读不了它。",
    "showing your sequence: every panel reads it": "正在显示你的序列：每个面板都读入它",
    "Could not draw an example: {error}": "无法抽取样本：{error}",
    "the notes' example": "笔记中的例子", "example {i}": "样本 {i}", "your sequence": "你的序列",
    "This run has no task, so there is no vocabulary to read text with.": "这次训练没有任务，所以没有词表来读文本。",
    "Could not read that: {error}": "无法读取：{error}", "reading your sequence …": "正在读入你的序列 …",
    "No example yet: start a run to see x<t>, y<t> and ŷ<t>.": "还没有样本：开始一次训练就能看到 x<t>、y<t> 和 ŷ<t>。",
    "right": "正确", "wrong": "错误", "right: {n}/{m}": "正确：{n}/{m}",
    "Γu<t>  update gate": "Γu<t>  更新门", "Γr<t>  relevance (reset) gate": "Γr<t>  相关门 (重置门)",
    "Γf<t>  forget gate": "Γf<t>  遗忘门", "Γo<t>  output gate": "Γo<t>  输出门",
    "c̃<t>  candidate memory": "c̃<t>  候选记忆", "a<t>  hidden state": "a<t>  隐藏状态",
    "It has no gates: a<t> = g(W_a [a<t-1>, x<t>] + b_a) is shown instead.": "它没有门：这里显示 a<t> = g(W_a [a<t-1>, x<t>] + b_a)。",
    "c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>: Γu ≈ 0 keeps the memory.": "c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>：Γu ≈ 0 时保持记忆。",
    "Γr chooses how much of c<t-1> feeds c̃<t>; Γu ≈ 0 keeps the memory.": "Γr 决定 c<t-1> 有多少进入 c̃<t>；Γu ≈ 0 时保持记忆。",
    "c<t> = Γu * c̃<t> + Γf * c<t-1>,  a<t> = Γo * tanh(c<t>).": "c<t> = Γu * c̃<t> + Γf * c<t-1>，  a<t> = Γo * tanh(c<t>)。",
    "No run yet: start one to see the gates open and close.": "还没有训练：开始一次训练就能看到门的开合。",
    "No trace yet.": "还没有追踪数据。",
    "traces of c<t>": "c<t> 的轨迹", "traces of a<t>": "a<t> 的轨迹", "c<t>  memory cell": "c<t>  记忆细胞",
    "MemoryPanel|value": "数值",
    "c<t> is the memory; a<t> = Γo * tanh(c<t>). Click a unit to trace it.": "c<t> 是记忆；a<t> = Γo * tanh(c<t>)。点击一个单元可追踪它。",
    "The vanilla RNN has no memory cell: only a<t>. Click a unit to trace it.": "基本 RNN 没有记忆细胞：只有 a<t>。点击一个单元可追踪它。",
    "For GRUs c<t> = a<t>: one heatmap shows both. Click a unit to trace it.": "GRU 中 c<t> = a<t>：一张热图同时显示两者。点击一个单元可追踪它。",
    "{name}<t> of the chosen units: ": "选中单元的 {name}<t>：", "{name}<t> of the most active units: ": "最活跃单元的 {name}<t>：",
    "Log y keeps the early descent and the late fine-tuning both readable": "对数 y 轴让早期的下降和后期的微调都看得清",
    "step {step}: L = {loss}, smoothed {smooth}": "第 {step} 步：L = {loss}，平滑后 {smooth}",
    "No example traced yet: L<t> appears with the first trace.": "还没有追踪样本：第一次追踪后出现 L<t>。",
    "one loss, at the last step": "只有一个损失，在最后一个时间步",
    "over the decoder's steps t = 1 … T_y": "在解码器的时间步 t = 1 … T_y 上",
    "This example: L = Σ L<t> = {total}": "这个样本：L = Σ L<t> = {total}",
    "Training loss: no steps yet.": "训练损失：还没有训练步。",
    "L over {n} steps: last {last}, smoothed {smooth}": "{n} 步的 L：最后 {last}，平滑后 {smooth}",
    " (points average {n} steps)": " (每个点平均 {n} 步)",
    # issue 9b's files (main_window.py, file_actions.py, exporting.py, metrics.py, unsaved.py)
    "no task": "没有任务", "the dashboard": "仪表盘", "{task} · {cell} · step {step:,} · loss {loss}": "{task} · {cell} · 第 {step:,} 步 · 损失 {loss}",
    "close the window": "关闭窗口", "start another run": "开始另一次训练",
    "Save it before you {what}?": "在{what}之前保存吗？",
    "The run is at step {step:,}; it was last saved at step {saved:,}.": "训练已到第 {step:,} 步；上次保存在第 {saved:,} 步。",
    "The run was not saved; nothing was closed.": "训练没有保存；什么也没有关闭。", "Unsaved training": "未保存的训练",
    "Time and input": "时间与输入", "Keep training": "继续训练", "Could not start the run: {error}": "无法开始训练：{error}",
    "Starting the training process …": "正在启动训练进程 …",
    " Lower the learning rate α or turn on clipping, then press ▶ Play.": " 请降低学习率 α 或打开梯度修剪，再按 ▶ 播放。",
    "Training stopped by an error: {error}  (full traceback on the terminal)": "训练因错误停止：{error}  (完整的回溯信息在终端上)",
    "Saved the run to {path}": "训练已保存到 {path}",
    "Reset to step 0: the same initial weights and the same data.": "已重置到第 0 步：相同的初始权重和相同的数据。",
    "Learning rate α = {lr} from the next step": "从下一步开始学习率 α = {lr}",
    "Clipping off": "梯度修剪已关闭", "Clipping by {mode} at {threshold}": "梯度修剪：{mode}，阈值 {threshold}",
    "The race needs a task: open one with File > New run.": "比赛需要一个任务：请用 文件 > 新训练 打开一个。",
    "Open a run": "打开训练", "RNN Scope runs (*.npz)": "RNN Scope 训练文件 (*.npz)", "Opened {path}": "已打开 {path}",
    "Save the run": "保存训练", "Import PyTorch weights": "导入 PyTorch 权重", "PyTorch state_dict (*.safetensors *.npz)": "PyTorch state_dict (*.safetensors *.npz)",
    "nn.RNN nonlinearity": "nn.RNN 的非线性函数", "Exported {what} to {path}": "已把{what}导出到 {path}",
    "Export the dashboard": "导出仪表盘", "Export {panel}": "导出 {panel}", "Export the training history": "导出训练历史",
    "the history": "训练历史", "Export the trace": "导出追踪数据", "the trace": "追踪数据", "(none yet)": "(还没有)",
    "the panel": "面板", "a file": "文件",
    "yes": "是", "no": "否", "No metrics yet: the task reports them while training.": "还没有指标：任务会在训练时报告它们。",
    "evaluating the task's metrics…": "正在评估任务的指标…", "no metrics yet (the task reports them while training)": "还没有指标 (任务会在训练时报告它们)",
    "at step {step:,}": "第 {step:,} 步", "evaluating…": "正在评估…", "target {value}": "目标 {value}",
    "target: {value}": "目标：{value}", "… {n} more": "… 还有 {n} 项",
    "c<t> = a<t>  memory = hidden state": "c<t> = a<t>  记忆 = 隐藏状态",
    "ŷ<{t}>: the answer if the sequence stopped at t = {t}": "ŷ<{t}>：如果序列在 t = {t} 处结束时的答案",
    "sampled: ŷ<{t}> drawn from the model's distribution and fed back as x<{next}>": "采样：ŷ<{t}> 从模型的分布中抽取，再作为 x<{next}> 输入",
    "L<1> = {l1} stays large: the first note is a random one of {n} starts (at best ln {n} = {best}); the rest follow from it.":
        "L<1> = {l1} 一直很大：第一个音符是 {n} 种开头中随机的一个 (最好也只有 ln {n} = {best})；其余的音符由它推出。",
    "sampled": "采样",
    "unit {u}: ": "单元 {u}：", "unit {u}": "单元 {u}",
}
